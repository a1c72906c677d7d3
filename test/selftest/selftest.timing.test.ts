// selftest is the proof that every check can fail: the real matrix kills
// every mutant, and each way selftest itself must fail does fail.
import { describe, expect, it } from 'vitest';
import { fail, pass, type Check, type CheckContext } from '../../src/check/evidence.ts';
import { runChecks } from '../../src/harness/runner.ts';
import { summarizeKills } from '../../src/cli/kill-matrix.ts';
import type { HarnessSuite, SuiteEnv } from '../../suites/env.ts';
import type { MutantSpec } from '../../suites/mutant.ts';
import { buildSelftestSuite, selftestSuite } from '../../suites/selftest/index.ts';
import { HAVE_VECTORS, SHARED_VECTORS } from '../kat/setup.ts';

const ctx: CheckContext = { seed: 7, profile: 'pr', vectorsDir: SHARED_VECTORS };
const env: SuiteEnv = { backends: [], profile: 'pr', seed: 7, vectorsDir: SHARED_VECTORS };

async function judge(suite: HarnessSuite) {
  return runChecks(await suite.checks(env), ctx);
}

/** A suite of one family whose checks pass on the reference backend and fail on any mutant backend. */
const fakeSuite = (ids: string[], verdict: (backends: SuiteEnv['backends']) => 'pass' | 'fail'): HarnessSuite => ({
  name: 'fake',
  checks: (e): Check[] => ids.map((id) => ({ id, title: id, run: () => (verdict(e.backends) === 'pass' ? pass() : fail('seeded')) })),
});
const isMutant = (backends: SuiteEnv['backends']) => backends.some((b) => b.name.startsWith('mutant:'));
const flipped: MutantSpec = { name: 'flipped-ss-bit', kind: 'backend', module: 'test/mutants/flipped-ss-bit.ts', kills: ['fake/prop/*'] };

describe('pqc-harness selftest', () => {
  it.skipIf(!HAVE_VECTORS && process.env.CI !== 'true')(
    'kills every mutant of every family at pr size, and leaves no family without one',
    async () => {
      // Every family but chaos/*: its seven meshes (the reference and six mutant nodes, ~20 s each) are
      // judged in test/chaos/split-brain.timing.test.ts (reference, drops-queued, delivers-twice,
      // never-commits on real processes) and test/chaos/recorded-mutants.test.ts (the three control-plane
      // mutants' recorded runs); running them again here would cost two minutes of npm test.
      const checks = (await selftestSuite.checks(env)).filter((c) => c.id !== 'selftest/chaos/*');
      const all = await runChecks(checks, ctx);
      const results = all;
      const failed = results.filter((r) => r.status !== 'pass');
      expect(failed.map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
      const s = summarizeKills(results);
      expect(s.withoutMutant).toEqual([]);
      expect(s.survived).toBe(0);
      expect(s.rate).toBe(100);
      expect(s.families).toBeGreaterThanOrEqual(33);
      // The evidence names, for each mutant, the check that caught it.
      const replay = all.find((r) => r.id === 'selftest/mesh/channel/replay');
      expect(replay?.evidence.mutants).toEqual([
        expect.objectContaining({ mutant: 'no-replay-window', outcome: 'killed', by: 'mesh/channel/replay' }),
        expect.objectContaining({ mutant: 'last-seq-only-window', outcome: 'killed', by: 'mesh/channel/replay' }),
      ]);
    },
    // the slo families start five meshes under load (reference and four node mutants, ~25 s each)
    600_000,
  );

  it('fails a family that no mutant is aimed at (a new family added without its mutant)', async () => {
    const [r] = await judge(buildSelftestSuite([fakeSuite(['fake/new-family/ML-KEM-768'], () => 'pass')], []));
    expect(r.id).toBe('selftest/fake/new-family/*');
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/no mutant makes fake\/new-family\/\* fail/);
  });

  it('fails when a mutant survives (the family cannot fail)', async () => {
    const [r] = await judge(buildSelftestSuite([fakeSuite(['fake/prop/ML-KEM-768'], () => 'pass')], [flipped]));
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('mutant(s) survived: flipped-ss-bit');
    expect(r.evidence.mutants).toEqual([expect.objectContaining({ outcome: 'survived' })]);
  });

  it('does not count a mutant node that never started as a kill', async () => {
    const crashed: HarnessSuite = {
      name: 'fake',
      checks: (e): Check[] => [
        {
          id: 'fake/prop/ML-KEM-768',
          title: 'x',
          run: () => {
            if (isMutant(e.backends)) throw new Error('node /tmp/m/node-1.yaml exited with code 1 before its ready line (log: x)');
            return pass();
          },
        },
      ],
    };
    const [r] = await judge(buildSelftestSuite([crashed], [flipped]));
    expect(r.status).toBe('fail');
    expect(r.evidence.mutants).toEqual([
      expect.objectContaining({ outcome: 'survived', reason: expect.stringMatching(/the mutant node did not start/) }),
    ]);
  });

  it('passes when the mutant fails the family and the reference passes it', async () => {
    const [r] = await judge(buildSelftestSuite([fakeSuite(['fake/prop/ML-KEM-768'], (b) => (isMutant(b) ? 'fail' : 'pass'))], [flipped]));
    expect(r.status, r.reason).toBe('pass');
    expect(r.evidence.mutants).toEqual([
      expect.objectContaining({ mutant: 'flipped-ss-bit', outcome: 'killed', by: 'fake/prop/ML-KEM-768' }),
    ]);
  });

  it('fails when the reference itself fails the family', async () => {
    const [r] = await judge(buildSelftestSuite([fakeSuite(['fake/prop/ML-KEM-768'], () => 'fail')], [flipped]));
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/^the reference fails 1 check\(s\), first fake\/prop\/ML-KEM-768/);
  });

  it('fails a mutant aimed at a family that no check has (a stale declaration)', async () => {
    const stale = { ...flipped, kills: ['fake/gone/*'] };
    const results = await judge(
      buildSelftestSuite([fakeSuite(['fake/prop/ML-KEM-768'], (b) => (isMutant(b) ? 'fail' : 'pass'))], [flipped, stale]),
    );
    const r = results.find((x) => x.id === 'selftest/fake/gone/*');
    expect(r?.status).toBe('fail');
    expect(r?.reason).toBe('mutant flipped-ss-bit names family fake/gone/*, which no check of this run has');
  });

  it('a size-independent family whose checks the run holds is judged by the run: its reference is not run again', async () => {
    let referenceRuns = 0;
    const sized: HarnessSuite = {
      name: 'fake',
      sizeIndependent: true,
      checks: (e): Check[] => [
        {
          id: 'fake/prop/ML-KEM-768',
          title: 'x',
          run: () => {
            if (!isMutant(e.backends)) referenceRuns++;
            return isMutant(e.backends) ? fail('seeded') : pass();
          },
        },
      ],
    };
    const inRun = { ...env, backends: [{ name: 'noble' }] as unknown as SuiteEnv['backends'], runIds: new Set(['fake/prop/ML-KEM-768']) };
    const [byRun] = await runChecks(await buildSelftestSuite([sized], [flipped]).checks(inRun), ctx);
    expect(byRun.status, byRun.reason).toBe('pass');
    expect(referenceRuns).toBe(0);
    expect(byRun.evidence.reference).toMatchObject({ checks: 0, judgedByRun: ['fake/prop/ML-KEM-768'] });
    // Standalone (the run does not hold the check), or certifying another node command: the reference runs.
    await runChecks(await buildSelftestSuite([sized], [flipped]).checks({ ...inRun, runIds: new Set() }), ctx);
    await runChecks(await buildSelftestSuite([sized], [flipped]).checks({ ...inRun, nodeCommand: 'their-node {config}' }), ctx);
    expect(referenceRuns).toBe(2);
  });
});
