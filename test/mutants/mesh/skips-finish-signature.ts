// Mutant: the responder never checks the FINISH (initiator) signature; the
// ACCEPT signature is still checked. The seam tells the two apart by the
// domain-separation label that starts every signed transcript message, as a
// verifier that "only needs to authenticate the server" would. Anyone holding
// a copy of a mesh member's certificate can then open a session as that node.
import { INITIATOR_SIGNATURE_LABEL } from '../../../src/mesh/protocol/handshake.ts';
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const startsWith = (m: Uint8Array, prefix: Uint8Array) => m.length >= prefix.length && prefix.every((b, i) => m[i] === b);

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:skips-finish-signature',
  verifyTranscriptSignature: (signer, publicKey, message, signature) =>
    startsWith(message, INITIATOR_SIGNATURE_LABEL) || referenceProtocol.verifyTranscriptSignature(signer, publicKey, message, signature),
};
export default mutant;
