// Node commands with one seeded defect each (test/mutants/nodes/, wrappers
// around the reference node; the control-plane ones reuse the control
// mutants of test/mutants/control/ through the node's control seam) and the
// chaos scenario each must make invalid. Every defect is plain at pr size.
import type { MutantSpec } from '../mutant.ts';

const node = (name: string, kills: string[], more: Partial<MutantSpec> = {}): MutantSpec => ({
  name,
  kind: 'node-command',
  module: `test/mutants/nodes/${name}.ts`,
  kills,
  size: 'pr',
  ...more,
});

export const chaosMutants: readonly MutantSpec[] = [
  node('drops-queued-on-reconnect', ['chaos/*']),
  node('delivers-twice-after-heal', ['chaos/*']),
  // membership: the minority side never declares it.
  node('never-declares-minority', ['chaos/*']),
  // safety: a certificate of two signers out of five, two events in one slot.
  node('commits-in-minority', ['chaos/*']),
  // safety: both sides' entries kept after the heal, one moved to a slot its certificate is not for.
  node('merge-keeps-both', ['chaos/*']),
  // Nothing committed: `unknown`, a skip in pr, so it is judged by release rules (and still killed).
  node('never-commits', ['chaos/*'], { verdicts: 'release' }),
];
