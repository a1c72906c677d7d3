// What every suite of this harness is built from: one run's backends,
// profile, seed and vector directory, and the mesh parts under test.
import type { Profile } from '../src/check/evidence.ts';
import type { Suite } from '../src/check/suite.ts';
import type { CryptoBackend } from '../src/crypto/backend.ts';
import type { FallbackControllerFactory } from '../src/mesh/fallback/controller.ts';
import type { MeshProtocol } from '../src/mesh/protocol/seams.ts';
import type { ControlProtocol } from '../src/mesh/control/seams.ts';

export interface SuiteEnv {
  backends: readonly CryptoBackend[];
  profile: Profile;
  seed: number;
  /** Known-answer vector directory as configured; it may not exist (then vector checks skip, naming it). */
  vectorsDir?: string;
  /** The mesh protocol under test (default: the reference); selftest substitutes mutants here. */
  protocol?: MeshProtocol;
  /** The fallback controller under test (default: the reference). */
  fallback?: FallbackControllerFactory;
  /** The control plane under test (default: the reference). */
  control?: ControlProtocol;
  /** The command starting each node of the mesh the slo suite measures, with {config} (default: the reference node). */
  nodeCommand?: string;
  /** The alert rules file slo/rules checks (default: rules/pqc-slo.rules.yml). */
  rulesFile?: string;
  /** The same control plane as a module path (absolute): real node processes start with `--mutant` on it. */
  controlModule?: string;
  /** Ids of the checks this run holds from the suites built before this one (selftest reads it). */
  runIds?: ReadonlySet<string>;
}

export type HarnessSuite = Suite<SuiteEnv>;
