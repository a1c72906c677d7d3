// Mutant: the transcript-signature seam copies the signature into a buffer of
// the algorithm's nominal size before verifying it (as a port of C code that
// "avoids an allocation per verify" might). A shorter signature is padded and
// simply fails, but a longer one makes Uint8Array.set throw a RangeError:
// hostile handshake input crashes the handshake instead of being refused with
// bad_signature. The frame fuzzer never reaches this seam; the handshake fuzzer does.
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';
import type { IdentityAlg } from '../../../src/mesh/protocol/ciphersuites.ts';

const SIGNATURE_BYTES: Record<IdentityAlg, number> = { 'ML-DSA-65': 3309, 'ML-DSA-87': 4627, Ed25519: 64 };

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:fixed-size-signature-buffer',
  verifyTranscriptSignature: (signer, publicKey, message, signature) => {
    const buffer = new Uint8Array(SIGNATURE_BYTES[signer.alg]);
    buffer.set(signature);
    return signer.verify(publicKey, message, buffer);
  },
};
export default mutant;
