// The suites each command runs and the mutants that prove their power. This
// is the one list a new suite is added to (with its mutants beside it).
import { cryptoMutants } from './crypto/mutants.ts';
import { cryptoSuite } from './crypto/index.ts';
import type { HarnessSuite } from './env.ts';
import { fallbackMutants } from './fallback/mutants.ts';
import { fallbackSuite } from './fallback/index.ts';
import { katMutants } from './kat/mutants.ts';
import { katSuite } from './kat/index.ts';
import { meshMutants } from './mesh/mutants.ts';
import { meshSuite } from './mesh/index.ts';
import { controlSuite } from './control/index.ts';
import { controlMutants } from './control/mutants.ts';
import type { MutantSpec } from './mutant.ts';
import { sloMutants } from './slo/mutants.ts';
import { sloSuite } from './slo/index.ts';
import { negativeMutants } from './negative/mutants.ts';
import { negativeSuite } from './negative/index.ts';
import { chaosMutants } from './chaos/mutants.ts';
import { chaosSuite } from './chaos/index.ts';

/** What `kat` runs: the backends alone. */
export const KAT_SUITES: readonly HarnessSuite[] = [cryptoSuite, katSuite];

/** What `certify` runs (and what selftest judges). */
export const CERTIFY_SUITES: readonly HarnessSuite[] = [
  ...KAT_SUITES,
  meshSuite,
  negativeSuite,
  fallbackSuite,
  controlSuite,
  sloSuite,
  chaosSuite,
];

export const MUTANTS: readonly MutantSpec[] = [
  ...cryptoMutants,
  ...katMutants,
  ...meshMutants,
  ...negativeMutants,
  ...fallbackMutants,
  ...controlMutants,
  ...sloMutants,
  ...chaosMutants,
];
