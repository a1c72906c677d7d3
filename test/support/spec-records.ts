// A second implementation of the key schedule (docs/mesh.md §3) and the record
// layer (§4), written from the spec on node:crypto (OpenSSL) instead of
// @noble. Both ends of the reference share one codebase, so a changed label,
// nonce, AAD or content byte that both ends share still interoperates;
// comparing the reference with this catches it.
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';

const PREFIX = 'pqc-mesh v1 ';

/** Deterministic test bytes named by a label (no randomness to seed). */
export function bytesOf(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let off = 0, i = 0; off < length; i++) {
    const block = createHash('sha256').update(`${label}#${i}`).digest();
    out.set(block.subarray(0, length - off), off);
    off += block.length;
  }
  return out;
}

/** RFC 5869 §2.2. */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', salt).update(ikm).digest());
}

/** RFC 5869 §2.3, with the protocol's label prefix. */
export function expandLabel(prk: Uint8Array, label: string, length = 32): Uint8Array {
  const info = Buffer.from(PREFIX + label, 'utf8');
  const out = new Uint8Array(length);
  let t: Buffer = Buffer.alloc(0);
  for (let off = 0, i = 1; off < length; i++) {
    t = createHmac('sha256', prk)
      .update(Buffer.concat([t, info, Buffer.of(i)]))
      .digest();
    out.set(t.subarray(0, length - off), off);
    off += t.length;
  }
  return out;
}

export const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
};
const u64 = (v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
};
/** A u32-length-prefixed byte string (§2). */
export const field = (v: Uint8Array) => Buffer.concat([u32(v.length), v]);

/** Direction byte of the AAD: 0 initiator to responder, 1 responder to initiator (§4). */
export type Direction = 0 | 1;

export interface SpecDirection {
  sessionId: Uint8Array;
  direction: Direction;
  /** The traffic secret of epoch 0; epoch e+1 is Expand(secret_e, "key update"). */
  secret: Uint8Array;
}

export function secretAt(d: SpecDirection, epoch: number): Uint8Array {
  let s = d.secret;
  for (let e = 0; e < epoch; e++) s = expandLabel(s, 'key update');
  return s;
}

function aead(d: SpecDirection, epoch: number, seq: bigint, keyEpoch = epoch) {
  const secret = secretAt(d, keyEpoch);
  const key = expandLabel(secret, 'key', 32);
  const nonce = Buffer.from(expandLabel(secret, 'iv', 12));
  // nonce = iv XOR seq, the 64-bit sequence in the last eight bytes (as TLS 1.3).
  const s = u64(seq);
  for (let i = 0; i < 8; i++) nonce[4 + i] ^= s[i];
  const aad = Buffer.concat([field(d.sessionId), Buffer.of(d.direction), u32(epoch), u64(seq)]);
  return { key, nonce, aad };
}

/**
 * The sealed part of a RECORD: ChaCha20-Poly1305 ciphertext, then the 16-byte
 * tag. `keyEpoch` other than `epoch` is a sender whose epoch numbers and keys
 * disagree (mismatched rekey counters).
 */
export function specSeal(d: SpecDirection, epoch: number, seq: bigint, plaintext: Uint8Array, keyEpoch = epoch): Uint8Array {
  const { key, nonce, aad } = aead(d, epoch, seq, keyEpoch);
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: plaintext.length });
  return new Uint8Array(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
}

/** The plaintext of a sealed part; throws when it does not authenticate. */
export function specOpen(d: SpecDirection, epoch: number, seq: bigint, sealed: Uint8Array): Uint8Array {
  const { key, nonce, aad } = aead(d, epoch, seq);
  const c = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: sealed.length - 16 });
  c.setAuthTag(sealed.subarray(sealed.length - 16));
  return new Uint8Array(Buffer.concat([c.update(sealed.subarray(0, sealed.length - 16)), c.final()]));
}

/** Record contents (§4): u8 type, then its fields. */
export const specContent = {
  application: (data: Uint8Array) => new Uint8Array(Buffer.concat([Buffer.of(1), field(data)])),
  keyUpdate: (requestUpdate: number) => Uint8Array.of(2, requestUpdate),
  heartbeat: () => Uint8Array.of(3),
  /** An ALERT body: u8 index of the reason in docs/mesh.md §5's list, then the UTF-8 message. */
  alert: (reasonIndex: number, message: string) =>
    new Uint8Array(Buffer.concat([Buffer.of(4), field(Buffer.concat([Buffer.of(reasonIndex), field(Buffer.from(message, 'utf8'))]))])),
};
