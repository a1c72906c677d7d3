// `pqc-harness kat -b noble` compares noble with liboqs, not with itself: the
// report's determinism and interop evidence names liboqs and its version.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/evidence.ts';
import { runCli } from '../support/cli.ts';

describe('pqc-harness kat -b noble', () => {
  it('reports determinism and interop as compared with liboqs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kat-noble-'));
    const r = await runCli(['kat', '-b', 'noble', '--only', 'crypto/', '--seed', '5', '--jobs', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8')) as { checks: CheckResult[] };
    const byKind = (kind: string) => report.checks.filter((c) => c.id.startsWith(`crypto/${kind}/`));
    expect(byKind('determinism')).toHaveLength(6);
    for (const c of byKind('determinism')) {
      expect(c.status, c.id).toBe('pass');
      expect(c.evidence.comparedWith, c.id).toMatch(/^liboqs \(@oqs\/liboqs-js /);
    }
    expect(byKind('interop')).toHaveLength(6);
    for (const c of byKind('interop')) {
      expect(c.status, c.id).toBe('pass');
      expect(c.evidence.peers, c.id).toEqual([expect.stringMatching(/^liboqs /)]);
    }
  }, 120_000);
});
