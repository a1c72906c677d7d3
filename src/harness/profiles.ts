// Which suites each command runs. Profiles change sizes (runs, counts), not
// the set of checks, so a pr run and a release run report the same ids; the
// one exception is selftest, which release certification adds so that its
// report proves the harness's own power.
import type { Profile } from '../check/evidence.ts';
import type { HarnessSuite } from '../../suites/env.ts';
import { CERTIFY_SUITES, KAT_SUITES } from '../../suites/index.ts';
import { selftestSuite } from '../../suites/selftest/index.ts';

export type Command = 'kat' | 'certify' | 'selftest';

export function suitesFor(command: Command, profile: Profile): readonly HarnessSuite[] {
  switch (command) {
    case 'kat':
      return KAT_SUITES;
    case 'certify':
      return profile === 'release' ? [...CERTIFY_SUITES, selftestSuite] : CERTIFY_SUITES;
    case 'selftest':
      return [selftestSuite];
  }
}
