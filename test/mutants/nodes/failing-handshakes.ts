// Mutant node command: 2% of handshakes fail (bad_signature on a valid
// signature, failing-protocol.ts). Must fail slo/handshake/success-rate.
//   node --import tsx test/mutants/nodes/failing-handshakes.ts --config {config}
import failingProtocol from './failing-protocol.ts';
import { runReferenceNode } from './run-reference.ts';

// Imported, not named by path: the wrapper may run from a prebuilt bundle, where no .ts loader exists.
await runReferenceNode({ seams: failingProtocol });
