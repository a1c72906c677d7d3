// Protocol variants with one seeded bug that the mesh checks must catch
// (each replaces one member of MeshProtocol, src/mesh/protocol/seams.ts).
import type { MutantSpec } from '../mutant.ts';

const protocol = (name: string, kills: string[]): MutantSpec => ({ name, kind: 'protocol', module: `test/mutants/mesh/${name}.ts`, kills });

export const meshMutants: readonly MutantSpec[] = [
  protocol('skips-transcript-signature', ['mesh/handshake/forged-accept', 'mesh/handshake/forged-finish']),
  protocol('skips-finish-signature', ['mesh/handshake/forged-finish']),
  protocol('fixed-size-signature-buffer', ['mesh/handshake/garbage']),
  protocol('shared-direction-keys', ['mesh/channel/direction-keys']),
  protocol('no-replay-window', ['mesh/channel/replay', 'mesh/channel/in-order']),
  protocol('gap-absorbing-window', ['mesh/channel/in-order']),
  protocol('last-seq-only-window', ['mesh/channel/replay']),
  protocol('crashing-replay-window', ['mesh/wire/garbage-frames']),
];
