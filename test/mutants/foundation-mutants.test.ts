// Each foundation mutant makes `pqc-harness kat` exit 1 and name the check
// that caught it; the honest default backends exit 0 (see test/cli).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pooled, runCli } from '../support/cli.ts';

const MUTANTS: Record<string, string> = {
  'flipped-ss-bit': 'crypto/roundtrip/ML-KEM-768',
  'rejection-without-secret': 'crypto/implicit-rejection/ML-KEM-768',
  'verify-accepts-all': 'crypto/negative/ML-DSA-65',
  'ignores-context': 'crypto/context/ML-DSA-65',
  'ignores-seed': 'crypto/determinism/ML-KEM-768',
  'ignores-rnd': 'crypto/determinism/ML-DSA-65',
  'no-fo-check': 'crypto/negative/ML-KEM-768',
  'reversed-ek': 'crypto/interop/ML-KEM-768',
  'truncated-signature': 'crypto/roundtrip/ML-DSA-65',
  'hedged-is-deterministic': 'crypto/determinism/ML-DSA-65',
  'no-algorithms': 'crypto/algorithms',
  'refuses-everything': 'crypto/roundtrip/ML-KEM-768',
};

describe('foundation mutants are caught by pqc-harness kat', () => {
  it('every mutant exits 1 and names the failing check', async () => {
    const names = Object.keys(MUTANTS);
    const results = await pooled(names, 2, async (name) => {
      const out = mkdtempSync(join(tmpdir(), `mutant-${name}-`));
      // --only crypto/: the property checks are what these mutants target; the
      // known-answer files are exercised by the kat mutants in-process.
      const r = await runCli([
        'kat',
        '--backend',
        `test/mutants/${name}`,
        '--out',
        out,
        '--seed',
        '11',
        '--only',
        'crypto/',
        '--jobs',
        '1',
      ]);
      return { name, r, report: JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8')) };
    });
    for (const { name, r, report } of results) {
      expect(r.code, `${name}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`FAIL .*${MUTANTS[name]} \\[mutant:${name}\\]`));
      const failed = report.checks.filter((c: { status: string }) => c.status === 'fail').map((c: { id: string }) => c.id);
      expect(failed).toContain(MUTANTS[name]);
      expect(report.verdict).toBe('fail');
    }
  }, 240_000);
});
