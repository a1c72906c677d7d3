// Mutant: a node without a replay window; any captured record can be played
// again and is delivered again.
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:no-replay-window',
  newReplayWindow: () => ({ check: () => undefined, accept: () => undefined }),
};
export default mutant;
