// Mutant: a node that believes a cleartext ALERT frame after the handshake,
// so anyone on the path can close its sessions with any reason it likes (a
// forged `revoked`, `policy`) and the node blames the peer (docs/mesh.md §4.1.7).
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:believes-cleartext-alert',
  believesCleartextAlert: (alert) => alert !== undefined,
};
export default mutant;
