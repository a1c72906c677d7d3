// Worker processes: same results as one process, and a check that kills its
// worker is reported as a failure while the rest of the run completes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Pids whose parent is `pid`. */
const childrenOf = (pid: number) =>
  spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
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

  it('a coordinator killed outright takes its workers with it, even one running a mesh check', async () => {
    const bin = join(import.meta.dirname, '../../bin/pqc-harness.mjs');
    const coordinator = spawn(
      process.execPath,
      [bin, 'certify', '--profile', 'pr', '--only', 'chaos/split-brain,kat/', '--jobs', '2', '--out', out()],
      { stdio: 'ignore' },
    );
    const pid = coordinator.pid as number;
    let workers: number[] = [];
    for (let i = 0; i < 100 && workers.length < 2; i++) {
      await sleep(100);
      workers = childrenOf(pid);
    }
    expect(workers).toHaveLength(2);
    // Let the foreground worker get into its mesh check.
    await sleep(3000);
    coordinator.kill('SIGKILL');
    for (let i = 0; i < 50 && workers.some(alive); i++) await sleep(100);
    expect(workers.filter(alive)).toEqual([]);
  }, 60_000);
});
