// Mutant: a "replay window" that remembers only the last sequence number it
// accepted. An immediate duplicate is refused, so a naive replay test passes,
// but any earlier record (inside or outside the window) can be replayed.
import { MeshError } from '../../../src/mesh/protocol/errors.ts';
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:last-seq-only-window',
  newReplayWindow: () => {
    let last: bigint | undefined;
    return {
      check(seq: bigint) {
        if (seq === last) throw new MeshError('replay', `sequence ${seq} was already accepted`);
      },
      accept(seq: bigint) {
        last = seq;
      },
    };
  },
};
export default mutant;
