// A suite is a family of checks built for one run's configuration. Suites
// only build checks; the runner runs them and the report reads the results.
// The environment is a parameter so this module needs nothing above it.
import type { Check } from './evidence.ts';

export interface Suite<Env> {
  /** Prefix of every check id it builds, e.g. "kat/acvp". */
  name: string;
  /**
   * Its checks run at one size whatever the profile (chaos scenarios), so in a
   * release certification the run's own checks are the reference run
   * selftest needs, and selftest does not repeat them.
   */
  sizeIndependent?: boolean;
  checks(env: Env): Check[] | Promise<Check[]>;
}
