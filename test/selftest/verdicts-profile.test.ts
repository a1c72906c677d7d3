// MutantSpec.verdicts: a mutant whose defect only makes a check say unknown
// (a skip in pr, a failure in release) is judged by release rules, so a pr
// selftest still proves it killed; without the field it survives.
import { describe, expect, it } from 'vitest';
import { fail, pass, skip, type Check } from '../../src/check/evidence.ts';
import type { HarnessSuite, SuiteEnv } from '../../suites/env.ts';
import type { MutantSpec } from '../../suites/mutant.ts';
import { judgeFamily } from '../../suites/selftest/kill.ts';

// A check that, like chaos/<scenario>, cannot judge a defective subject: skip in pr, fail in release.
const undecided: HarnessSuite = {
  name: 'demo',
  checks: (env: SuiteEnv): Check[] => [
    {
      id: 'demo/undecided',
      title: 'passes on the reference; unknown on a mutant',
      run: () => {
        if (!env.rulesFile) return pass({});
        return env.profile === 'release' ? fail('unknown: nothing to judge', {}) : skip('unknown', {});
      },
    },
  ],
};

const mutant = (more: Partial<MutantSpec> = {}): MutantSpec => ({
  name: 'undecidable',
  kind: 'rules',
  module: 'rules/pqc-slo.rules.yml',
  kills: ['demo/undecided'],
  ...more,
});
const env: SuiteEnv = { backends: [], profile: 'pr', seed: 1 };
const ctx = { seed: 1, profile: 'pr' as const };

describe('selftest judges a mutant by the profile its spec names', () => {
  it('verdicts: release makes an unknown a kill in a pr selftest', async () => {
    const j = await judgeFamily('demo/undecided', [undecided], env, [mutant({ verdicts: 'release' })], ctx);
    expect(j.reference.failed).toEqual([]);
    expect(j.mutants[0]).toMatchObject({ outcome: 'killed', reason: 'unknown: nothing to judge' });
  });
  it('without it, the same mutant survives (a skip is not a kill)', async () => {
    const j = await judgeFamily('demo/undecided', [undecided], env, [mutant()], ctx);
    expect(j.mutants[0].outcome).toBe('survived');
  });
});
