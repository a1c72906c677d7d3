// Mutant: a node that takes a short read from its randomness source as good
// enough and zero-fills the rest, so keys and nonces are made from missing
// randomness and the handshake completes (docs/mesh.md §3.7.2). A source that
// throws is still refused.
import { strictDraw } from '../../../src/mesh/protocol/randomness.ts';
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:pads-short-randomness',
  drawRandom: (source, length, purpose) =>
    strictDraw(
      (n, p) => {
        const got = source(n, p);
        if (got.length >= n) return got;
        const padded = new Uint8Array(n);
        padded.set(got);
        return padded;
      },
      length,
      purpose,
    ),
};
export default mutant;
