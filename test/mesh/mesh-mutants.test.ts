// Each protocol check passes on the reference and fails on the mutants built
// to defeat it; the "gap" rows show which check a mutant slipped past before.
import { describe, expect, it } from 'vitest';
import {
  checkDirectionKeystreams,
  checkForgedAccept,
  checkForgedFinish,
  checkGarbageFrames,
  checkHandshakeGarbage,
  checkRecordOrder,
  checkReplay,
} from '../../suites/mesh/attacks.ts';
import gapAbsorbingWindow from '../mutants/mesh/gap-absorbing-window.ts';
import { referenceProtocol, type MeshProtocol } from '../../src/mesh/protocol/seams.ts';
import crashingReplayWindow from '../mutants/mesh/crashing-replay-window.ts';
import fixedSizeSignatureBuffer from '../mutants/mesh/fixed-size-signature-buffer.ts';
import lastSeqOnlyWindow from '../mutants/mesh/last-seq-only-window.ts';
import noReplayWindow from '../mutants/mesh/no-replay-window.ts';
import sharedDirectionKeys from '../mutants/mesh/shared-direction-keys.ts';
import skipsFinishSignature from '../mutants/mesh/skips-finish-signature.ts';
import skipsSignature from '../mutants/mesh/skips-transcript-signature.ts';

type ProtocolCheck = (p: MeshProtocol) => Promise<{ status: string; reason?: string; evidence: Record<string, unknown> }>;

const HANDSHAKE_FUZZ_SEED = 20261127;
const handshakeGarbage: ProtocolCheck = (p) => checkHandshakeGarbage(p, 200, HANDSHAKE_FUZZ_SEED);
const garbageFrames: ProtocolCheck = (p) => checkGarbageFrames(p, 2_000, 20261127);

const cases: [string, ProtocolCheck, MeshProtocol[]][] = [
  ['a forged ACCEPT is refused with bad_signature', checkForgedAccept, [skipsSignature]],
  ['a forged FINISH is refused with bad_signature', checkForgedFinish, [skipsFinishSignature, skipsSignature]],
  ['the two directions never share a keystream', checkDirectionKeystreams, [sharedDirectionKeys]],
  ['replays of recent and old records and across a key update are refused', checkReplay, [noReplayWindow, lastSeqOnlyWindow]],
  ['a dropped or reordered record is a record_gap, never delivered', checkRecordOrder, [gapAbsorbingWindow, noReplayWindow]],
  ['garbage frames are refused without a crash', garbageFrames, [crashingReplayWindow]],
  ['hostile handshake frames end in a MeshError or a session', handshakeGarbage, [fixedSizeSignatureBuffer]],
];

describe.each(cases)('probe: %s', (_, probe, mutants) => {
  it('passes on the reference protocol', async () => {
    const v = await probe(referenceProtocol);
    expect(v.reason).toBeUndefined();
    expect(v.status).toBe('pass');
  });
  it.each(mutants.map((m) => [m.name, m] as const))('fails on %s', async (_name, mutant) => {
    const v = await probe(mutant);
    expect(v.status).toBe('fail');
    expect(v.reason).toBeTruthy();
  });
});

// Each new mutant passes the probe that existed before it: the gap it demonstrates.
describe('the gaps the new probes close', () => {
  it.each([
    ['skips-finish-signature passes the forged-ACCEPT probe', checkForgedAccept, skipsFinishSignature],
    ['fixed-size-signature-buffer passes the frame fuzzer', garbageFrames, fixedSizeSignatureBuffer],
    ['gap-absorbing-window passes the replay probe', checkReplay, gapAbsorbingWindow],
  ] as const)('%s', async (_, probe, mutant) => {
    expect((await probe(mutant)).status).toBe('pass');
  });

  it('last-seq-only-window passes an immediate-duplicate replay test', async () => {
    const { Channel } = await import('../../src/mesh/protocol/channel.ts');
    const keys = { sessionId: new Uint8Array(16), sendSecret: new Uint8Array(32).fill(1), recvSecret: new Uint8Array(32).fill(1) };
    const sender = new Channel({ ...keys, role: 'initiator' }, () => lastSeqOnlyWindow.newReplayWindow());
    const receiver = new Channel({ ...keys, role: 'responder' }, () => lastSeqOnlyWindow.newReplayWindow());
    const rec = sender.seal({ type: 'application', data: new Uint8Array([1]) });
    receiver.open(rec);
    expect(() => receiver.open(rec)).toThrow(/replay/);
    const earlier = rec;
    receiver.open(sender.seal({ type: 'application', data: new Uint8Array([2]) }));
    expect(receiver.open(earlier)).toEqual({ type: 'application', data: new Uint8Array([1]) });
  });
});

describe('handshake fuzzer', () => {
  it('reports the seed and a replayable counterexample when it fails', async () => {
    const v = await handshakeGarbage(fixedSizeSignatureBuffer);
    expect(v.evidence.seed).toBe(HANDSHAKE_FUZZ_SEED);
    expect(v.reason).toMatch(/threw RangeError instead of a MeshError/);
    expect(JSON.stringify(v.evidence.firstFailure)).toMatch(/seed 20261127, path \d+/);
  });

  it('sees every handshake outcome it should: completions and each side refusing', async () => {
    const v = await checkHandshakeGarbage(referenceProtocol, 60, 7);
    expect(v.status).toBe('pass');
    const outcomes = Object.keys(v.evidence.outcomes as Record<string, number>);
    for (const o of ['initiator:completed', 'initiator:bad_signature', 'responder:bad_frame', 'responder:bad_certificate'])
      expect(outcomes).toContain(o);
  });
});
