// Frame fuzzing: random and mutated byte streams through everything a node
// does with bytes before (and including) the AEAD: frame splitting, every
// message decoder, certificate decoding, record opening. The only allowed
// outcomes are a decoded value or a MeshError; anything else (a TypeError,
// RangeError, a hang) is a crash a peer could trigger.
import fc from 'fast-check';
import { fail, pass, type Verdict } from '../../src/check/evidence.ts';
import type { Channel } from '../../src/mesh/protocol/channel.ts';
import { MeshError } from '../../src/mesh/protocol/errors.ts';
import { decodeCertificate } from '../../src/mesh/protocol/certificate.ts';
import { decodeAppMessage } from '../../src/mesh/protocol/messages.ts';
import {
  FrameReader,
  FrameType,
  decodeAccept,
  decodeAlert,
  decodeFinish,
  decodeHello,
  decodeRecord,
  encodeFrame,
  type Frame,
} from '../../src/mesh/protocol/wire.ts';

function inspect(frame: Frame, channel: Channel): void {
  switch (frame.type) {
    case FrameType.HELLO:
      decodeCertificate(decodeHello(frame.body).certificate);
      return;
    case FrameType.ACCEPT:
      decodeCertificate(decodeAccept(frame.body).certificate);
      return;
    case FrameType.FINISH:
      decodeFinish(frame.body);
      return;
    case FrameType.RECORD: {
      const c = channel.open(decodeRecord(frame.body));
      if (c.type === 'application') decodeAppMessage(c.data);
      return;
    }
    case FrameType.ALERT:
      decodeAlert(frame.body);
  }
}

/** Feeds one byte stream, split into the given chunks, to a fresh reader. */
function consume(chunks: Uint8Array[], channel: Channel): void {
  const reader = new FrameReader();
  for (const chunk of chunks) {
    let frames: Frame[];
    try {
      frames = reader.push(chunk);
    } catch (e) {
      if (e instanceof MeshError) return; // the connection would close here
      throw e;
    }
    for (const f of frames) {
      try {
        inspect(f, channel);
      } catch (e) {
        if (!(e instanceof MeshError)) throw e;
      }
    }
  }
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Valid frames to mutate (a real HELLO, ACCEPT, FINISH, RECORD...). */
  corpus: Frame[];
  channel: Channel;
}

const mutation = (corpus: Frame[]) =>
  fc
    .record({
      index: fc.nat({ max: corpus.length - 1 }),
      flips: fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { maxLength: 8 }),
      cut: fc.option(fc.nat()),
      tail: fc.uint8Array({ maxLength: 16 }),
    })
    .map(({ index, flips, cut, tail }) => {
      const f = corpus[index];
      const bytes = Uint8Array.from(encodeFrame(f.type, f.body));
      for (const { at, xor } of flips) bytes[at % bytes.length] ^= xor;
      const cutBytes = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      const out = new Uint8Array(cutBytes.length + tail.length);
      out.set(cutBytes);
      out.set(tail, cutBytes.length);
      return out;
    });

/** Random frames with plausible headers, so decoders see bodies, not just bad lengths. */
const randomFrame = fc.record({ type: fc.integer({ min: 0, max: 7 }), body: fc.uint8Array({ maxLength: 512 }) }).map(({ type, body }) => {
  const out = new Uint8Array(5 + body.length);
  new DataView(out.buffer).setUint32(0, body.length + 1);
  out[4] = type;
  out.set(body, 5);
  return out;
});

export function fuzzFrames(o: FuzzOptions): Verdict {
  const stream = fc.oneof(mutation(o.corpus), randomFrame, fc.uint8Array({ maxLength: 256 }));
  const chunked = fc.tuple(fc.array(stream, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 64 })).map(([parts, size]) => {
    const all = Buffer.concat(parts);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < all.length; i += size) chunks.push(new Uint8Array(all.subarray(i, i + size)));
    return chunks;
  });
  const r = fc.check(
    fc.property(chunked, (chunks) => {
      consume(chunks, o.channel);
    }),
    { numRuns: o.runs, seed: o.seed },
  );
  const evidence = {
    seed: o.seed,
    cases: { total: r.numRuns, passed: r.failed ? r.numRuns - 1 : r.numRuns, failed: r.failed ? 1 : 0, skipped: 0 },
    corpus: o.corpus.length,
  };
  if (!r.failed) return pass(evidence);
  return fail(`a frame crashed the decoder: ${String(r.errorInstance)}`, {
    ...evidence,
    firstFailure: {
      case: `fast-check run ${r.numRuns}`,
      message: JSON.stringify(r.counterexample?.[0]?.map((c: Uint8Array) => Buffer.from(c).toString('hex'))).slice(0, 400),
    },
  });
}
