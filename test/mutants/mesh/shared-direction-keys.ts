// Mutant: both directions of a session get the same traffic secret, so the
// same (key, nonce) pair encrypts record n in each direction.
import { expandLabel } from '../../../src/mesh/protocol/keys.ts';
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:shared-direction-keys',
  directionSecrets: (prk) => {
    const shared = expandLabel(prk, 'i2r traffic');
    return { i2r: shared, r2i: shared };
  },
};
export default mutant;
