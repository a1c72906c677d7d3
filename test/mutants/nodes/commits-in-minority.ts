// Mutant node command: the reference node with the control mutant
// commits-in-minority (test/mutants/control/) through the node's control
// seam: a side without a majority of the members commits on its own, so
// chaos/split-brain must find a certificate with too few signers and two
// events in one slot (safety).
//   node --import tsx test/mutants/nodes/commits-in-minority.ts --config {config}
import commitsInMinority from '../control/commits-in-minority.ts';
import { runReferenceNode } from './run-reference.ts';

await runReferenceNode({ control: commitsInMinority });
