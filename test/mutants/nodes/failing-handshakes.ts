// Mutant node command: 2% of handshakes fail (bad_signature on a valid
// signature, failing-protocol.ts). Must fail slo/handshake/success-rate.
//   node --import tsx test/mutants/nodes/failing-handshakes.ts --config {config}
import { fileURLToPath } from 'node:url';
import { runReferenceNode } from './run-reference.ts';

await runReferenceNode({ protocol: fileURLToPath(new URL('./failing-protocol.ts', import.meta.url)) });
