// Mutant: a node that never checks the transcript signature (ACCEPT/FINISH).
// Certificates are still checked, so it looks fine until someone presents a
// certificate that is not theirs.
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:skips-transcript-signature',
  verifyTranscriptSignature: () => true,
};
export default mutant;
