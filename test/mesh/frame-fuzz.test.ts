// The frame fuzzer against a live channel. Kept apart from the channel tests
// so the mutation run (vitest.mutation.config.ts) can leave its 10 000 cases
// out: it only asserts "no crash", which the unit tests cover per mutant.
import { describe, expect, it } from 'vitest';
import { FrameType, encodeRecord, type Frame } from '../../src/mesh/protocol/wire.ts';
import { fuzzFrames } from '../../suites/mesh/fuzz-frames.ts';
import { channelSession } from '../support/channel-session.ts';
import { makePki } from '../support/pki.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('frame fuzzing', () => {
  it('never crashes on random and mutated frames (10 000 runs)', async () => {
    const { ci, cr, frames } = await channelSession(makePki());
    const records = [text('hello'), new Uint8Array(0)].map(
      (data) => ({ type: FrameType.RECORD, body: encodeRecord(ci.seal({ type: 'application', data })) }) as Frame,
    );
    const seed = Number(process.env.PQC_FUZZ_SEED ?? Date.now() % 2 ** 31);
    const v = fuzzFrames({ runs: 10_000, seed, corpus: [...frames, ...records], channel: cr });
    expect(v.reason, `seed ${seed}`).toBeUndefined();
    expect(v.evidence.cases?.total).toBe(10_000);
  });
});
