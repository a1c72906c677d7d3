// The mesh protocol suite: attack probes against the reference protocol (a
// forged ACCEPT, nonce reuse across directions, a replayed record) and
// garbage frames through every decoder. The same probes fail on the seeded
// mutants in test/mutants/mesh.
import type { Check } from '../../src/harness/evidence.ts';
import { deriveSeed } from '../../src/harness/property.ts';
import type { Suite } from '../../src/harness/suite.ts';
import { probeDirectionKeystreams, probeForgedAccept, probeGarbageFrames, probeReplay } from '../../src/mesh/probes.ts';
import { referenceProtocol } from '../../src/mesh/protocol.ts';

/** Garbage frames per run: the release profile runs at least 10 000. */
const FUZZ_RUNS = { pr: 2_000, release: 10_000 } as const;

export const meshSuite: Suite = {
  name: 'mesh',
  checks: (): Check[] => [
    {
      id: 'mesh/handshake/forged-accept',
      title: 'a forged ACCEPT (victim certificate, impostor key) is refused with bad_signature',
      run: () => probeForgedAccept(referenceProtocol),
    },
    {
      id: 'mesh/channel/direction-keys',
      title: 'the two directions of a session never share key and nonce',
      run: () => probeDirectionKeystreams(referenceProtocol),
    },
    {
      id: 'mesh/channel/replay',
      title: 'a replayed record is refused with replay',
      run: () => probeReplay(referenceProtocol),
    },
    {
      id: 'mesh/wire/garbage-frames',
      title: 'random and mutated frames are refused without crashing the node',
      run: (ctx) => probeGarbageFrames(referenceProtocol, FUZZ_RUNS[ctx.profile], deriveSeed(ctx.seed, 'mesh/wire/garbage-frames')),
    },
  ],
};
