// A suite is a family of checks built for one run's configuration. Suites
// only build checks; the runner runs them and the report reads the results.
import type { CryptoBackend } from '../crypto/backend.ts';
import type { Check, Profile } from './evidence.ts';

export interface SuiteEnv {
  backends: readonly CryptoBackend[];
  profile: Profile;
  seed: number;
  /** Known-answer vector directory as configured; it may not exist (then vector checks skip, naming it). */
  vectorsDir?: string;
}

export interface Suite {
  /** Prefix of every check id it builds, e.g. "kat/acvp". */
  name: string;
  checks(env: SuiteEnv): Check[] | Promise<Check[]>;
}
