// A mutant: a backend, protocol variant or controller with one seeded bug,
// and the check families it must make fail. Every suite declares its
// mutants beside its checks (suites/<family>/mutants.ts); `pqc-harness
// selftest` runs them, and a family no mutant kills fails selftest.
import type { Profile } from '../src/check/evidence.ts';

/**
 * What the mutant replaces in a run:
 * - backend: the crypto backends (a module path, as `--backend` takes);
 * - protocol: the mesh protocol seams (a module default-exporting a MeshProtocol);
 * - control: the control plane (a module default-exporting a ControlProtocol);
 * - fallback: the fallback controller (a module default-exporting a FallbackControllerFactory);
 * - vectors: the vector directory (a module default-exporting an async function
 *   that takes the run's directory and returns a defective copy of it);
 * - node-command: the node processes the slo suite measures (a TypeScript
 *   script that starts the reference node with one defect);
 * - rules: the alert rules file (a Prometheus rules file).
 */
export type MutantKind = 'backend' | 'protocol' | 'fallback' | 'vectors' | 'control' | 'node-command' | 'rules';

export interface MutantSpec {
  name: string;
  kind: MutantKind;
  /** Module path relative to the package root, e.g. `test/mutants/flipped-ss-bit.ts`. */
  module: string;
  /** Families (see src/check/family.ts) in which at least one check must fail. */
  kills: readonly string[];
  /** Profiles at whose size the defect is reachable (default: both). A rarer defect needs release sizes. */
  profiles?: readonly Profile[];
  /** Run the mutant at this profile's size whatever the run's profile (default: pr when reachable there, else release). */
  size?: Profile;
  /**
   * Judge the mutant's checks by this profile's verdict rules (the suite
   * environment's profile), whatever the run's: a defect that only makes a
   * check say `unknown` is a skip in pr and a failure in release, so selftest
   * proves it killed under release rules.
   */
  verdicts?: Profile;
}
