// Mutant node command: the reference node with the believes-cleartext-alert
// protocol seam (a cleartext ALERT after the handshake is taken as the
// peer's, docs/mesh.md §4.1.7). Must fail negative/nodes/cleartext-alert.
//   node --import tsx test/mutants/nodes/believes-cleartext-alert.ts --config {config}
import believesCleartextAlert from '../mesh/believes-cleartext-alert.ts';
import { runReferenceNode } from './run-reference.ts';

// Imported, not named by path: the wrapper may run from a prebuilt bundle, where no .ts loader exists.
await runReferenceNode({ seams: believesCleartextAlert });
