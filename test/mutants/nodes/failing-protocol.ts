// The protocol seam of the failing-handshakes mutant: the initiator rejects
// the responder's valid transcript signature on every 50th handshake (2%).
// The offset comes from X0TTA6BL4_MUTANT_SEED so runs replay.
import { RESPONDER_SIGNATURE_LABEL } from '../../../src/mesh/protocol/handshake.ts';
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

export const FAIL_EVERY = 50;

const seed = Number(process.env.X0TTA6BL4_MUTANT_SEED ?? 0) >>> 0;
let handshakes = seed % FAIL_EVERY;

function isResponderSignature(message: Uint8Array): boolean {
  return RESPONDER_SIGNATURE_LABEL.every((b, i) => message[i] === b);
}

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:fails-2pct-handshakes',
  verifyTranscriptSignature: (signer, publicKey, message, signature) => {
    if (isResponderSignature(message) && ++handshakes % FAIL_EVERY === 0) return false;
    return referenceProtocol.verifyTranscriptSignature(signer, publicKey, message, signature);
  },
};
export default mutant;
