// Through the CLI, a mutant backend makes `pqc-harness kat` exit 1 and name
// the check that caught it (the honest default backends exit 0, see
// test/cli). Which check catches every mutant is selftest's job
// (test/selftest); this file keeps the user's view of two of them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pooled, runCli } from '../support/cli.ts';

const MUTANTS: Record<string, string> = {
  'flipped-ss-bit': 'crypto/roundtrip/ML-KEM-768',
  'ignores-context': 'crypto/context/ML-DSA-65',
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
