// The wire format of docs/mesh.md §2: framing, the canonical field encoding
// and every limit of the strict decoder, with the bytes written out from the
// spec rather than taken from the encoder under test.
import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS, MeshError } from '../../src/mesh/protocol/errors.ts';
import {
  Decoder,
  Encoder,
  FrameReader,
  FrameType,
  LIMITS,
  MAX_FRAME_BYTES,
  decodeAccept,
  decodeAlert,
  decodeFinish,
  decodeHello,
  decodeRecord,
  encodeAccept,
  encodeAlert,
  encodeFinish,
  encodeFrame,
  encodeHello,
  encodeRecord,
  type Accept,
  type Hello,
} from '../../src/mesh/protocol/wire.ts';
import { catching } from '../support/channel-session.ts';
import { field, u32 } from '../support/spec-records.ts';

const concat = (...parts: (Uint8Array | number[])[]) => new Uint8Array(Buffer.concat(parts.map((p) => Uint8Array.from(p))));
const filled = (n: number, v: number) => new Uint8Array(n).fill(v);

function refused(f: () => unknown, reason: string, message: RegExp | string): void {
  const e = catching(f);
  expect(e).toBeInstanceOf(MeshError);
  expect((e as MeshError).reason).toBe(reason);
  if (typeof message === 'string') expect((e as MeshError).message).toBe(`${reason}: ${message}`);
  else expect((e as MeshError).message).toMatch(message);
}

describe('frames (§2, §2.1)', () => {
  it('are u32 len | u8 type | body, len counting the type byte', () => {
    expect(encodeFrame(FrameType.FINISH, Uint8Array.of(9, 8))).toEqual(Uint8Array.of(0, 0, 0, 3, 3, 9, 8));
    expect(Object.values(FrameType)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuse to encode a body past the frame limit, and take one exactly at it', () => {
    expect(encodeFrame(FrameType.RECORD, new Uint8Array(MAX_FRAME_BYTES - 1)).length).toBe(MAX_FRAME_BYTES + 4);
    refused(
      () => encodeFrame(FrameType.RECORD, new Uint8Array(MAX_FRAME_BYTES)),
      'internal',
      `frame body of ${MAX_FRAME_BYTES} bytes exceeds the limit`,
    );
  });

  it('are split from a stream however it is chunked, holding only a partial frame', () => {
    const stream = concat(encodeFrame(FrameType.HELLO, Uint8Array.of(1, 2, 3)), encodeFrame(FrameType.ALERT, new Uint8Array(0)));
    const whole = new FrameReader();
    expect(whole.push(stream)).toEqual([
      { type: FrameType.HELLO, body: Uint8Array.of(1, 2, 3) },
      { type: FrameType.ALERT, body: new Uint8Array(0) },
    ]);
    expect(whole.buffered).toBe(0);
    const bytewise = new FrameReader();
    const frames = [];
    for (let i = 0; i < stream.length; i++) {
      frames.push(...bytewise.push(stream.subarray(i, i + 1)));
      if (i === 1) expect(bytewise.buffered).toBe(2);
      if (i === 5) expect(bytewise.buffered).toBe(6);
    }
    expect(frames).toEqual(whole.push(stream));
    expect(bytewise.buffered).toBe(0);
    const split = new FrameReader();
    expect(split.push(stream.subarray(0, 3))).toEqual([]);
    expect(split.push(stream.subarray(3, 9))).toEqual([{ type: FrameType.HELLO, body: Uint8Array.of(1, 2, 3) }]);
    expect(split.buffered).toBe(1);
    expect(split.push(stream.subarray(9))).toEqual([{ type: FrameType.ALERT, body: new Uint8Array(0) }]);
  });

  it('refuse a zero, oversized or unknown-type header before the body arrives (§2.1.1)', () => {
    refused(() => new FrameReader().push(Uint8Array.of(0, 0, 0, 0)), 'bad_frame', 'zero-length frame');
    refused(
      () => new FrameReader().push(concat(u32(MAX_FRAME_BYTES + 1))),
      'bad_frame',
      `frame of ${MAX_FRAME_BYTES + 1} bytes exceeds ${MAX_FRAME_BYTES}`,
    );
    refused(() => new FrameReader().push(Uint8Array.of(0, 0, 0, 1, 0)), 'bad_frame', 'unknown frame type 0');
    refused(() => new FrameReader().push(Uint8Array.of(0, 0, 0, 1, 6)), 'bad_frame', 'unknown frame type 6');
    const atLimit = new FrameReader();
    expect(atLimit.push(concat(u32(MAX_FRAME_BYTES), [FrameType.RECORD]))).toEqual([]);
    expect(atLimit.buffered).toBe(5);
  });
});

describe('fields (§2.2)', () => {
  it('are big-endian integers, u32-prefixed bytes and strings, u8-counted lists', () => {
    const bytes = new Encoder()
      .u8(0x1ff)
      .u32(0x01020304)
      .u64(0x05060708090a0b0cn)
      .bytes(Uint8Array.of(7))
      .u8list([1, 2])
      .string('é')
      .finish();
    expect(bytes).toEqual(concat([0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0, 1, 7], [2, 1, 2], [0, 0, 0, 2, 0xc3, 0xa9]));
    const d = new Decoder(bytes);
    expect([d.u8('a'), d.u32('b'), d.u64('c'), d.bytes('d', 1), d.u8list('e', 2), d.string('f', 2)]).toEqual([
      0xff,
      0x01020304,
      0x05060708090a0b0cn,
      Uint8Array.of(7),
      [1, 2],
      'é',
    ]);
    d.end('all');
  });

  it.each<[string, (d: Decoder) => unknown, number[], string]>([
    ['a u8 past the end', (d) => d.u8('x.u8'), [], 'truncated at x.u8'],
    ['a u32 past the end', (d) => d.u32('x.u32'), [0, 0, 0], 'truncated at x.u32'],
    ['a u64 past the end', (d) => d.u64('x.u64'), [0, 0, 0, 0, 0, 0, 0], 'truncated at x.u64'],
    ['bytes past the end', (d) => d.bytes('x.bytes', 8), [0, 0, 0, 2, 1], 'truncated at x.bytes'],
    ['bytes over their limit', (d) => d.bytes('x.bytes', 1), [0, 0, 0, 2, 1, 1], 'x.bytes of 2 bytes exceeds 1'],
    ['bytes of the wrong fixed size', (d) => d.bytes('x.nonce', 32, 2), [0, 0, 0, 1, 1], 'x.nonce must be 2 bytes, got 1'],
    ['an empty list', (d) => d.u8list('x.list', 16), [0], 'x.list has 0 entries; 1..16 allowed'],
    ['a list over its limit', (d) => d.u8list('x.list', 2), [3, 1, 1, 1], 'x.list has 3 entries; 1..2 allowed'],
    ['a list past the end', (d) => d.u8list('x.list', 16), [2, 1], 'truncated at x.list'],
    ['a string that is not UTF-8', (d) => d.string('x.text', 8), [0, 0, 0, 1, 0xff], 'x.text is not UTF-8'],
    ['trailing bytes', (d) => d.end('X'), [0, 0], '2 trailing bytes after X'],
  ])('refuse %s with bad_frame, naming the field', (_, read, bytes, message) => {
    refused(() => read(new Decoder(Uint8Array.from(bytes))), 'bad_frame', message);
  });

  it('take a list of exactly its limit, bytes of exactly theirs, and a read that ends the input', () => {
    expect(new Decoder(Uint8Array.of(2, 5, 6)).u8list('l', 2)).toEqual([5, 6]);
    const d = new Decoder(Uint8Array.of(0, 0, 0, 2, 8, 9));
    expect(d.bytes('b', 2, 2)).toEqual(Uint8Array.of(8, 9));
    d.end('b');
  });

  it('read from a view into a larger buffer at its own offset', () => {
    const backing = Uint8Array.of(0xee, 0, 0, 0, 5, 0xee);
    expect(new Decoder(backing.subarray(1, 5)).u32('v')).toBe(5);
    expect(new Decoder(Uint8Array.of(0xee, 0, 0, 0, 0, 0, 0, 0, 7).subarray(1)).u64('v')).toBe(7n);
  });
});

describe('handshake messages (§3)', () => {
  const hello: Hello = { versions: [1], suites: [1, 2], certificate: filled(3, 0xc), keyShare: filled(2, 0xe), nonce: filled(32, 0x1) };
  const accept: Accept = {
    version: 1,
    suite: 2,
    offeredVersions: [1],
    offeredSuites: [1, 2],
    certificate: filled(3, 0xc),
    ciphertext: filled(4, 0xd),
    nonce: filled(32, 0x2),
    signature: filled(5, 0x5),
    mac: filled(32, 0x3),
  };
  const finish = { signature: filled(5, 0x6), mac: filled(32, 0x4) };
  const helloBytes = concat([1, 1, 2, 1, 2], field(hello.certificate), field(hello.keyShare), field(hello.nonce));
  const acceptBytes = concat(
    [1, 2, 1, 1, 2, 1, 2],
    field(accept.certificate),
    field(accept.ciphertext),
    field(accept.nonce),
    field(accept.signature),
    field(accept.mac),
  );
  const finishBytes = concat(field(finish.signature), field(finish.mac));

  it('encode field by field in the order of §3 and decode back', () => {
    expect(encodeHello(hello)).toEqual(helloBytes);
    expect(decodeHello(helloBytes)).toEqual(hello);
    expect(encodeAccept(accept)).toEqual(acceptBytes);
    expect(decodeAccept(acceptBytes)).toEqual(accept);
    expect(encodeFinish(finish)).toEqual(finishBytes);
    expect(decodeFinish(finishBytes)).toEqual(finish);
  });

  it.each<[string, () => unknown, string]>([
    ['HELLO with trailing bytes', () => decodeHello(concat(helloBytes, [0])), '1 trailing bytes after HELLO'],
    ['ACCEPT with trailing bytes', () => decodeAccept(concat(acceptBytes, [0])), '1 trailing bytes after ACCEPT'],
    ['FINISH with trailing bytes', () => decodeFinish(concat(finishBytes, [0])), '1 trailing bytes after FINISH'],
    [
      'HELLO with a 31-byte nonce',
      () => decodeHello(encodeHello({ ...hello, nonce: filled(31, 1) })),
      'HELLO.nonce must be 32 bytes, got 31',
    ],
    [
      'ACCEPT with a 33-byte nonce',
      () => decodeAccept(encodeAccept({ ...accept, nonce: filled(33, 1) })),
      'ACCEPT.nonce of 33 bytes exceeds 32',
    ],
    [
      'ACCEPT with a 31-byte MAC',
      () => decodeAccept(encodeAccept({ ...accept, mac: filled(31, 1) })),
      'ACCEPT.mac must be 32 bytes, got 31',
    ],
    [
      'FINISH with a 31-byte MAC',
      () => decodeFinish(encodeFinish({ ...finish, mac: filled(31, 1) })),
      'FINISH.mac must be 32 bytes, got 31',
    ],
    [
      'HELLO with 17 suites',
      () => decodeHello(encodeHello({ ...hello, suites: new Array(17).fill(1) })),
      'HELLO.suites has 17 entries; 1..16 allowed',
    ],
    ['HELLO with no version', () => decodeHello(encodeHello({ ...hello, versions: [] })), 'HELLO.versions has 0 entries; 1..16 allowed'],
    [
      'a certificate over 16 KiB',
      () => decodeHello(encodeHello({ ...hello, certificate: new Uint8Array(LIMITS.certificate + 1) })),
      `HELLO.certificate of ${LIMITS.certificate + 1} bytes exceeds ${LIMITS.certificate}`,
    ],
    [
      'a key share over 4 KiB',
      () => decodeHello(encodeHello({ ...hello, keyShare: new Uint8Array(LIMITS.keyShare + 1) })),
      `HELLO.keyShare of ${LIMITS.keyShare + 1} bytes exceeds ${LIMITS.keyShare}`,
    ],
    [
      'a ciphertext over 4 KiB',
      () => decodeAccept(encodeAccept({ ...accept, ciphertext: new Uint8Array(LIMITS.ciphertext + 1) })),
      `ACCEPT.ciphertext of ${LIMITS.ciphertext + 1} bytes exceeds ${LIMITS.ciphertext}`,
    ],
    [
      'a signature over 8 KiB',
      () => decodeFinish(encodeFinish({ ...finish, signature: new Uint8Array(LIMITS.signature + 1) })),
      `FINISH.signature of ${LIMITS.signature + 1} bytes exceeds ${LIMITS.signature}`,
    ],
    [
      'an ACCEPT echo of 17 suites',
      () => decodeAccept(encodeAccept({ ...accept, offeredSuites: new Array(17).fill(1) })),
      'ACCEPT.offeredSuites has 17 entries; 1..16 allowed',
    ],
    [
      'an ACCEPT echo of no version',
      () => decodeAccept(encodeAccept({ ...accept, offeredVersions: [] })),
      'ACCEPT.offeredVersions has 0 entries; 1..16 allowed',
    ],
    ['an ACCEPT cut in its version', () => decodeAccept(new Uint8Array(0)), 'truncated at ACCEPT.version'],
    ['an ACCEPT cut in its suite', () => decodeAccept(Uint8Array.of(1)), 'truncated at ACCEPT.suite'],
    ['an ACCEPT cut in its certificate', () => decodeAccept(Uint8Array.of(1, 2, 1, 1, 1, 1)), 'truncated at ACCEPT.certificate'],
  ])('refuse %s with bad_frame', (_, decode, message) => {
    refused(decode, 'bad_frame', message);
  });

  it('take fields of exactly their limits', () => {
    const big = {
      ...hello,
      certificate: new Uint8Array(LIMITS.certificate),
      keyShare: new Uint8Array(LIMITS.keyShare),
      suites: new Array(16).fill(1),
    };
    expect(decodeHello(encodeHello(big))).toEqual(big);
    const sig = { ...finish, signature: new Uint8Array(LIMITS.signature) };
    expect(decodeFinish(encodeFinish(sig))).toEqual(sig);
    const ct = { ...accept, ciphertext: new Uint8Array(LIMITS.ciphertext), certificate: new Uint8Array(LIMITS.certificate) };
    expect(decodeAccept(encodeAccept(ct))).toEqual(ct);
  });
});

describe('records and alerts (§4, §5)', () => {
  it('a RECORD is u32 epoch | u64 seq | bytes sealed, sealed at least the 16-byte tag (§2.2.2)', () => {
    const rec = { epoch: 2, seq: 3n, sealed: filled(16, 7) };
    const bytes = concat([0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3], field(rec.sealed));
    expect(encodeRecord(rec)).toEqual(bytes);
    expect(decodeRecord(bytes)).toEqual(rec);
    refused(() => decodeRecord(encodeRecord({ ...rec, sealed: filled(15, 7) })), 'bad_frame', 'RECORD.sealed shorter than the AEAD tag');
    refused(() => decodeRecord(concat(bytes, [0])), 'bad_frame', '1 trailing bytes after RECORD');
    refused(() => decodeRecord(bytes.subarray(0, 3)), 'bad_frame', 'truncated at RECORD.epoch');
    refused(() => decodeRecord(bytes.subarray(0, 11)), 'bad_frame', 'truncated at RECORD.seq');
    const max = { ...rec, sealed: new Uint8Array(LIMITS.sealed) };
    expect(decodeRecord(encodeRecord(max))).toEqual(max);
    refused(
      () => decodeRecord(encodeRecord({ ...rec, sealed: new Uint8Array(LIMITS.sealed + 1) })),
      'bad_frame',
      `RECORD.sealed of ${LIMITS.sealed + 1} bytes exceeds ${LIMITS.sealed}`,
    );
  });

  it('an ALERT is u8 reason index | string message, the message cut to 256 characters', () => {
    expect(encodeAlert({ reason: 'downgrade', message: 'no' })).toEqual(concat([3], field(Uint8Array.of(0x6e, 0x6f))));
    expect(decodeAlert(concat([15], field(Uint8Array.of(0x78))))).toEqual({ reason: 'revoked', message: 'x' });
    const long = decodeAlert(encodeAlert({ reason: 'policy', message: 'm'.repeat(300) }));
    expect(long).toEqual({ reason: 'policy', message: 'm'.repeat(256) });
    const unknown = FAILURE_REASONS.length;
    refused(() => decodeAlert(concat([unknown], field(new Uint8Array(0)))), 'bad_frame', `unknown alert reason ${unknown}`);
    refused(() => decodeAlert(new Uint8Array(0)), 'bad_frame', 'truncated at ALERT.reason');
    refused(() => decodeAlert(Uint8Array.of(0, 0)), 'bad_frame', 'truncated at ALERT.message');
    refused(
      () => decodeAlert(concat([0], field(new Uint8Array(LIMITS.message + 1)))),
      'bad_frame',
      /ALERT\.message of 1025 bytes exceeds 1024/,
    );
    refused(() => decodeAlert(concat([0], field(new Uint8Array(0)), [0])), 'bad_frame', '1 trailing bytes after ALERT');
    expect(decodeAlert(concat([0], field(new Uint8Array(LIMITS.message).fill(0x61)))).message).toHaveLength(LIMITS.message);
  });
});
