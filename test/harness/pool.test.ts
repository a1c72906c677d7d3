// Worker processes: same results as one process, and a check that kills its
// worker is reported as a failure while the rest of the run completes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHarness } from '../../src/harness/certify.ts';

const out = () => mkdtempSync(join(tmpdir(), 'pool-'));
const summary = (r: Awaited<ReturnType<typeof runHarness>>) =>
  r.report.checks.map((c) => `${c.id} ${c.backend} ${c.status} ${JSON.stringify(c.evidence.seed)}`);

describe('worker pool', () => {
  it('two workers give the same results, in the same order, as one process', async () => {
    const base = { command: 'kat' as const, backends: ['noble'], profile: 'pr' as const, seed: 77, only: 'crypto/determinism/ML-KEM' };
    const one = await runHarness({ ...base, outDir: out(), jobs: 1 });
    const two = await runHarness({ ...base, outDir: out(), jobs: 2 });
    expect(summary(two)).toEqual(summary(one));
    expect(one.report.checks.length).toBe(3);
  }, 60_000);

  it('a check that kills its worker fails with the reason; every other check still reports', async () => {
    const r = await runHarness({
      command: 'kat',
      backends: ['test/fixtures/exits-in-worker'],
      profile: 'pr',
      seed: 1,
      only: 'crypto/roundtrip/',
      outDir: out(),
      jobs: 2,
    });
    expect(r.report.checks).toHaveLength(6);
    const killer = r.report.checks.find((c) => c.id === 'crypto/roundtrip/ML-KEM-512');
    expect(killer?.status).toBe('fail');
    expect(killer?.reason).toMatch(/worker process exited \(code 9\)/);
    expect(r.report.checks.filter((c) => c.status === 'pass')).toHaveLength(5);
    expect(r.report.verdict).toBe('fail');
  }, 60_000);
});
