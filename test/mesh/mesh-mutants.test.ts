// Each protocol probe passes on the reference and fails on the one mutant
// built to defeat it.
import { describe, expect, it } from 'vitest';
import { probeDirectionKeystreams, probeForgedAccept, probeGarbageFrames, probeReplay } from '../../src/mesh/probes.ts';
import { referenceProtocol, type MeshProtocol } from '../../src/mesh/protocol.ts';
import crashingReplayWindow from '../mutants/mesh/crashing-replay-window.ts';
import noReplayWindow from '../mutants/mesh/no-replay-window.ts';
import sharedDirectionKeys from '../mutants/mesh/shared-direction-keys.ts';
import skipsSignature from '../mutants/mesh/skips-transcript-signature.ts';

const cases: [string, (p: MeshProtocol) => Promise<{ status: string; reason?: string }>, MeshProtocol][] = [
  ['a forged ACCEPT is refused with bad_signature', probeForgedAccept, skipsSignature],
  ['the two directions never share a keystream', probeDirectionKeystreams, sharedDirectionKeys],
  ['a replayed record is refused with replay', probeReplay, noReplayWindow],
  ['garbage frames are refused without a crash', (p) => probeGarbageFrames(p, 2_000, 20261127), crashingReplayWindow],
];

describe.each(cases)('probe: %s', (_, probe, mutant) => {
  it('passes on the reference protocol', async () => {
    const v = await probe(referenceProtocol);
    expect(v.reason).toBeUndefined();
    expect(v.status).toBe('pass');
  });
  it(`fails on ${mutant.name}`, async () => {
    const v = await probe(mutant);
    expect(v.status).toBe('fail');
    expect(v.reason).toBeTruthy();
  });
});
