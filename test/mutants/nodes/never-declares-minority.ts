// Mutant node command: membership counts every partition as a majority (the
// classification ignores how many members are reachable), so a node cut off
// with a minority keeps saying `majority`. chaos/split-brain must find the
// minority side undeclared (membership, docs/control-plane.md §3).
//   node --import tsx test/mutants/nodes/never-declares-minority.ts --config {config}
import { Membership, type Partition } from '../../../src/mesh/control/membership.ts';
import { runReferenceNode } from './run-reference.ts';

(Membership.prototype as unknown as { classify(reachable: readonly string[]): Partition }).classify = () => 'majority';

await runReferenceNode();
