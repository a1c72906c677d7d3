// The mesh protocol suite: attacks on the reference protocol (a
// forged ACCEPT, a forged FINISH, nonce reuse across directions, replayed
// records), garbage frames through every decoder and hostile frames through
// live handshakes. The same checks fail on the seeded mutants in test/mutants/mesh.
import type { Check } from '../../src/check/evidence.ts';
import { deriveSeed } from '../../src/check/property.ts';
import type { HarnessSuite } from '../env.ts';
import {
  checkDirectionKeystreams,
  checkForgedAccept,
  checkForgedFinish,
  checkGarbageFrames,
  checkHandshakeGarbage,
  checkRecordOrder,
  checkReplay,
} from './attacks.ts';
import { referenceProtocol } from '../../src/mesh/protocol/seams.ts';

/** Garbage frames per run: the release profile runs at least 10 000. */
const FUZZ_RUNS = { pr: 2_000, release: 10_000 } as const;
/** Live handshakes with one hostile frame each (~12 ms apiece): pr stays under ~3 s. */
const HANDSHAKE_FUZZ_RUNS = { pr: 200, release: 2_000 } as const;

export const meshSuite: HarnessSuite = {
  name: 'mesh',
  checks: (env): Check[] => {
    const protocol = env.protocol ?? referenceProtocol;
    return [
      {
        id: 'mesh/handshake/forged-accept',
        title: 'a forged ACCEPT (victim certificate, impostor key) is refused with bad_signature',
        run: () => checkForgedAccept(protocol),
      },
      {
        id: 'mesh/handshake/forged-finish',
        title: 'a forged FINISH (victim certificate, impostor key) is refused by the responder with bad_signature',
        run: () => checkForgedFinish(protocol),
      },
      {
        id: 'mesh/handshake/garbage',
        title: 'hostile HELLO / ACCEPT / FINISH frames end every handshake in a MeshError or a session with the honest peer',
        run: (ctx) => checkHandshakeGarbage(protocol, HANDSHAKE_FUZZ_RUNS[ctx.profile], deriveSeed(ctx.seed, 'mesh/handshake/garbage')),
      },
      {
        id: 'mesh/channel/direction-keys',
        title: 'the two directions of a session never share key and nonce',
        run: () => checkDirectionKeystreams(protocol),
      },
      {
        id: 'mesh/channel/replay',
        title: 'replays of recent and old records and across a key update are refused, never delivered',
        run: () => checkReplay(protocol),
      },
      {
        id: 'mesh/channel/in-order',
        title: 'a dropped or reordered record is detected as record_gap and not delivered',
        run: () => checkRecordOrder(protocol),
      },
      {
        id: 'mesh/wire/garbage-frames',
        title: 'random and mutated frames are refused without crashing the node',
        run: (ctx) => checkGarbageFrames(protocol, FUZZ_RUNS[ctx.profile], deriveSeed(ctx.seed, 'mesh/wire/garbage-frames')),
      },
    ];
  },
};
