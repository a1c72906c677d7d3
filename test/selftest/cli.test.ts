import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('pqc-harness selftest (command line)', () => {
  it('prints the kill matrix of a family and exits 0 when every mutant is killed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'selftest-cli-'));
    const r = await runCli(['selftest', '--family', 'fallback/', '--seed', '3', '--jobs', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ok   fallback/ttl-fails-closed');
    expect(r.stdout).toMatch(/killed +fallback-ttl-only-logs +\(by fallback\/ttl-fails-closed\)/);
    expect(r.stdout).toContain('kill rate 100%: 5 killed, 0 survived');
  });
});
