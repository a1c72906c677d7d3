// Node commands with one seeded defect each (test/mutants/nodes/, wrappers
// around the reference node) and the chaos scenario each must make invalid.
// Both defects are plain at pr size.
import type { MutantSpec } from '../mutant.ts';

const node = (name: string, kills: string[]): MutantSpec => ({
  name,
  kind: 'node-command',
  module: `test/mutants/nodes/${name}.ts`,
  kills,
  size: 'pr',
});

export const chaosMutants: readonly MutantSpec[] = [
  node('drops-queued-on-reconnect', ['chaos/*']),
  node('delivers-twice-after-heal', ['chaos/*']),
];
