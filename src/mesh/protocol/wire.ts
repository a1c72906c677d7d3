// The wire format of mesh protocol v1: frames `u32 len | u8 type | body` and a
// canonical field encoding for bodies. Canonical means one byte string per
// value (fixed-width big-endian integers, u32 length prefixes, no optional
// fields), so signatures and the transcript hash cover exactly what was sent.
// Decoding is strict: every field has a maximum size, and unknown types,
// short input or trailing bytes fail with reason `bad_frame`.
import { concatBytes } from '@noble/hashes/utils.js';
import { FAILURE_REASONS, MeshError, type FailureReason } from './errors.ts';

export const PROTOCOL_VERSION = 1;

export const FrameType = {
  HELLO: 1,
  ACCEPT: 2,
  FINISH: 3,
  RECORD: 4,
  ALERT: 5,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Largest `len` accepted: a handshake message with an ML-DSA-87 signature is under 16 KiB. */
export const MAX_FRAME_BYTES = 128 * 1024;
/** Largest application payload carried in one DATA message. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** Per-field ceilings: anything larger is refused before it is copied. */
export const LIMITS = {
  certificate: 16 * 1024,
  keyShare: 4 * 1024,
  ciphertext: 4 * 1024,
  signature: 8 * 1024,
  nonce: 32,
  mac: 32,
  sealed: MAX_PAYLOAD_BYTES + 256,
  list: 16,
  message: 1024,
} as const;

export interface Frame {
  type: FrameType;
  body: Uint8Array;
}

function badFrame(message: string): never {
  throw new MeshError('bad_frame', message);
}

function isFrameType(t: number): t is FrameType {
  return t >= FrameType.HELLO && t <= FrameType.ALERT;
}

export function encodeFrame(type: FrameType, body: Uint8Array): Uint8Array {
  if (body.length + 1 > MAX_FRAME_BYTES) throw new MeshError('internal', `frame body of ${body.length} bytes exceeds the limit`);
  const out = new Uint8Array(5 + body.length);
  new DataView(out.buffer).setUint32(0, body.length + 1);
  out[4] = type;
  out.set(body, 5);
  return out;
}

/**
 * Splits a TCP byte stream into frames. The length is checked as soon as its
 * four bytes arrive, so a hostile peer cannot make us buffer more than one
 * maximum frame.
 */
export class FrameReader {
  private chunks: Uint8Array[] = [];
  private bufferedBytes = 0;

  /** Bytes held in a partial frame right now. */
  get buffered(): number {
    return this.bufferedBytes;
  }

  push(chunk: Uint8Array): Frame[] {
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.bufferedBytes < 4) return frames;
      const head = this.peek(5);
      const len = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
      if (len === 0) badFrame('zero-length frame');
      if (len > MAX_FRAME_BYTES) badFrame(`frame of ${len} bytes exceeds ${MAX_FRAME_BYTES}`);
      if (head.length >= 5 && !isFrameType(head[4])) badFrame(`unknown frame type ${head[4]}`);
      if (this.bufferedBytes < 4 + len) return frames;
      const bytes = this.take(4 + len);
      frames.push({ type: bytes[4] as FrameType, body: bytes.slice(5) });
    }
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first.length >= n || this.chunks.length === 1) return first.subarray(0, n);
    this.chunks = [concatBytes(...this.chunks)];
    return this.chunks[0].subarray(0, n);
  }

  private take(n: number): Uint8Array {
    const all = this.chunks.length === 1 ? this.chunks[0] : concatBytes(...this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.bufferedBytes -= n;
    return out;
  }
}

/** Canonical field writer. */
export class Encoder {
  private parts: Uint8Array[] = [];

  u8(v: number): this {
    this.parts.push(Uint8Array.of(v & 0xff));
    return this;
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v);
    this.parts.push(b);
    return this;
  }
  u64(v: bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v);
    this.parts.push(b);
    return this;
  }
  /** u32 length prefix, then the bytes. */
  bytes(v: Uint8Array): this {
    this.u32(v.length);
    this.parts.push(v);
    return this;
  }
  /** u8 count prefix, then one byte per element. */
  u8list(v: readonly number[]): this {
    this.u8(v.length);
    this.parts.push(Uint8Array.from(v));
    return this;
  }
  string(v: string): this {
    return this.bytes(new TextEncoder().encode(v));
  }
  finish(): Uint8Array {
    return concatBytes(...this.parts);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict canonical field reader: every read names its field for the error. */
export class Decoder {
  private off = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number, field: string): void {
    if (this.buf.length - this.off < n) badFrame(`truncated at ${field}`);
  }
  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.off++];
  }
  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.off);
    this.off += 4;
    return v;
  }
  u64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigUint64(this.off);
    this.off += 8;
    return v;
  }
  /** Length-prefixed bytes; `exact` demands a size, `max` caps it. */
  bytes(field: string, max: number, exact?: number): Uint8Array {
    const len = this.u32(field);
    if (len > max) badFrame(`${field} of ${len} bytes exceeds ${max}`);
    if (exact !== undefined && len !== exact) badFrame(`${field} must be ${exact} bytes, got ${len}`);
    this.need(len, field);
    const v = this.buf.slice(this.off, this.off + len);
    this.off += len;
    return v;
  }
  u8list(field: string, max: number): number[] {
    const n = this.u8(field);
    if (n === 0 || n > max) badFrame(`${field} has ${n} entries; 1..${max} allowed`);
    this.need(n, field);
    const v = Array.from(this.buf.subarray(this.off, this.off + n));
    this.off += n;
    return v;
  }
  string(field: string, max: number): string {
    const raw = this.bytes(field, max);
    try {
      return utf8.decode(raw);
    } catch {
      return badFrame(`${field} is not UTF-8`);
    }
  }
  /** Trailing bytes would make two encodings mean one value: refuse them. */
  end(what: string): void {
    if (this.off !== this.buf.length) badFrame(`${this.buf.length - this.off} trailing bytes after ${what}`);
  }
}

// ---- Handshake messages -------------------------------------------------

export interface Hello {
  versions: number[];
  /** Suite ids in the initiator's preference order; the key share is for the first. */
  suites: number[];
  certificate: Uint8Array;
  keyShare: Uint8Array;
  nonce: Uint8Array;
}

/** The part of ACCEPT the responder's signature covers (with HELLO before it). */
export interface AcceptCore {
  version: number;
  suite: number;
  /** The versions and suites the responder received, echoed so stripping is visible. */
  offeredVersions: number[];
  offeredSuites: number[];
  certificate: Uint8Array;
  ciphertext: Uint8Array;
  nonce: Uint8Array;
}

export interface Accept extends AcceptCore {
  signature: Uint8Array;
  mac: Uint8Array;
}

export interface Finish {
  signature: Uint8Array;
  mac: Uint8Array;
}

export function encodeHello(m: Hello): Uint8Array {
  return new Encoder().u8list(m.versions).u8list(m.suites).bytes(m.certificate).bytes(m.keyShare).bytes(m.nonce).finish();
}

export function decodeHello(body: Uint8Array): Hello {
  const d = new Decoder(body);
  const m: Hello = {
    versions: d.u8list('HELLO.versions', LIMITS.list),
    suites: d.u8list('HELLO.suites', LIMITS.list),
    certificate: d.bytes('HELLO.certificate', LIMITS.certificate),
    keyShare: d.bytes('HELLO.keyShare', LIMITS.keyShare),
    nonce: d.bytes('HELLO.nonce', LIMITS.nonce, LIMITS.nonce),
  };
  d.end('HELLO');
  return m;
}

export function encodeAcceptCore(m: AcceptCore): Uint8Array {
  return new Encoder()
    .u8(m.version)
    .u8(m.suite)
    .u8list(m.offeredVersions)
    .u8list(m.offeredSuites)
    .bytes(m.certificate)
    .bytes(m.ciphertext)
    .bytes(m.nonce)
    .finish();
}

/** One length-prefixed field: how signatures and MACs enter both the body and the transcript. */
export function encodeField(v: Uint8Array): Uint8Array {
  return new Encoder().bytes(v).finish();
}

export function encodeAccept(m: Accept): Uint8Array {
  return concatBytes(encodeAcceptCore(m), encodeField(m.signature), encodeField(m.mac));
}

export function decodeAccept(body: Uint8Array): Accept {
  const d = new Decoder(body);
  const m: Accept = {
    version: d.u8('ACCEPT.version'),
    suite: d.u8('ACCEPT.suite'),
    offeredVersions: d.u8list('ACCEPT.offeredVersions', LIMITS.list),
    offeredSuites: d.u8list('ACCEPT.offeredSuites', LIMITS.list),
    certificate: d.bytes('ACCEPT.certificate', LIMITS.certificate),
    ciphertext: d.bytes('ACCEPT.ciphertext', LIMITS.ciphertext),
    nonce: d.bytes('ACCEPT.nonce', LIMITS.nonce, LIMITS.nonce),
    signature: d.bytes('ACCEPT.signature', LIMITS.signature),
    mac: d.bytes('ACCEPT.mac', LIMITS.mac, LIMITS.mac),
  };
  d.end('ACCEPT');
  return m;
}

export function encodeFinish(m: Finish): Uint8Array {
  return concatBytes(encodeField(m.signature), encodeField(m.mac));
}

export function decodeFinish(body: Uint8Array): Finish {
  const d = new Decoder(body);
  const m: Finish = {
    signature: d.bytes('FINISH.signature', LIMITS.signature),
    mac: d.bytes('FINISH.mac', LIMITS.mac, LIMITS.mac),
  };
  d.end('FINISH');
  return m;
}

// ---- Records and alerts -------------------------------------------------

/** An AEAD record: epoch and sequence travel in the clear and are bound by the AAD. */
export interface SealedRecord {
  epoch: number;
  seq: bigint;
  sealed: Uint8Array;
}

export function encodeRecord(r: SealedRecord): Uint8Array {
  return new Encoder().u32(r.epoch).u64(r.seq).bytes(r.sealed).finish();
}

export function decodeRecord(body: Uint8Array): SealedRecord {
  const d = new Decoder(body);
  const r = { epoch: d.u32('RECORD.epoch'), seq: d.u64('RECORD.seq'), sealed: d.bytes('RECORD.sealed', LIMITS.sealed) };
  if (r.sealed.length < 16) badFrame('RECORD.sealed shorter than the AEAD tag');
  d.end('RECORD');
  return r;
}

export interface Alert {
  reason: FailureReason;
  message: string;
}

export function encodeAlert(a: Alert): Uint8Array {
  return new Encoder().u8(FAILURE_REASONS.indexOf(a.reason)).string(a.message.slice(0, 256)).finish();
}

export function decodeAlert(body: Uint8Array): Alert {
  const d = new Decoder(body);
  const idx = d.u8('ALERT.reason');
  const reason = FAILURE_REASONS[idx];
  if (reason === undefined) badFrame(`unknown alert reason ${idx}`);
  const message = d.string('ALERT.message', LIMITS.message);
  d.end('ALERT');
  return { reason, message };
}
