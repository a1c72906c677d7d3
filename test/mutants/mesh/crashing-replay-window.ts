// Mutant: a replay window kept as a dense array indexed by the raw sequence
// number. A record from the wire with a huge sequence number makes it grow
// the array past its limit and throw a RangeError: garbage crashes the node.
import { MeshError } from '../../../src/mesh/protocol/errors.ts';
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:crashing-replay-window',
  newReplayWindow: () => {
    const seen: boolean[] = [];
    return {
      check(seq: bigint) {
        const i = Number(seq);
        if (seen.length <= i) seen.length = i + 1;
        if (seen[i]) throw new MeshError('replay', `record ${seq} seen before`);
      },
      accept(seq: bigint) {
        seen[Number(seq)] = true;
      },
    };
  },
};
export default mutant;
