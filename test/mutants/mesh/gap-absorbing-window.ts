// Mutant: the RFC 4303 sliding replay window the reference used before issue 9.
// It refuses replays, but accepts any fresh sequence number, so a relay that
// drops or reorders records goes unnoticed and messages are silently lost.
import { MeshError } from '../../../src/mesh/protocol/errors.ts';
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const SIZE = 64n;

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:gap-absorbing-window',
  newReplayWindow: () => {
    let highest = -1n;
    let bitmap = 0n;
    return {
      check(seq: bigint) {
        if (seq > highest) return;
        const age = highest - seq;
        if (age >= SIZE || (bitmap >> age) & 1n) throw new MeshError('replay', `sequence ${seq} already accepted or too old`);
      },
      accept(seq: bigint) {
        if (seq > highest) {
          const shift = seq - highest;
          bitmap = shift >= SIZE ? 1n : ((bitmap << shift) | 1n) & ((1n << SIZE) - 1n);
          highest = seq;
        } else bitmap |= 1n << (highest - seq);
      },
    };
  },
};
export default mutant;
