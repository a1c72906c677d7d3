// What every suite of this harness is built from: one run's backends,
// profile, seed and vector directory.
import type { Profile } from '../src/check/evidence.ts';
import type { Suite } from '../src/check/suite.ts';
import type { CryptoBackend } from '../src/crypto/backend.ts';

export interface SuiteEnv {
  backends: readonly CryptoBackend[];
  profile: Profile;
  seed: number;
  /** Known-answer vector directory as configured; it may not exist (then vector checks skip, naming it). */
  vectorsDir?: string;
}

export type HarnessSuite = Suite<SuiteEnv>;
