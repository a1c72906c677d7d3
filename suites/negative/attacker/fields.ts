// Field-level editing of handshake messages: decode, change one field,
// re-encode canonically (so a length prefix always matches what follows).
// The catalogue below names every length-prefixed field and count-prefixed
// list of every message, which is what the length checks walk.
import { concatBytes } from '@noble/hashes/utils.js';
import {
  decodeAccept,
  decodeFinish,
  decodeHello,
  decodeRecord,
  encodeAccept,
  encodeFinish,
  encodeHello,
  encodeRecord,
  type Accept,
  type Finish,
  type Hello,
  type SealedRecord,
} from '../../../src/mesh/protocol/wire.ts';

export const editHello = (body: Uint8Array, f: (m: Hello) => Hello): Uint8Array => encodeHello(f(decodeHello(body)));
export const editAccept = (body: Uint8Array, f: (m: Accept) => Accept): Uint8Array => encodeAccept(f(decodeAccept(body)));
export const editFinish = (body: Uint8Array, f: (m: Finish) => Finish): Uint8Array => encodeFinish(f(decodeFinish(body)));
export const editRecord = (body: Uint8Array, f: (m: SealedRecord) => SealedRecord): Uint8Array => encodeRecord(f(decodeRecord(body)));

export type MessageName = 'HELLO' | 'ACCEPT' | 'FINISH' | 'RECORD';

/** A length-prefixed byte field: read it, write it back with a new value. */
export interface BytesField {
  message: MessageName;
  name: string;
  get(body: Uint8Array): Uint8Array;
  set(body: Uint8Array, v: Uint8Array): Uint8Array;
}

/** A count-prefixed list of u8 ids. */
export interface ListField {
  message: 'HELLO' | 'ACCEPT';
  name: string;
  set(body: Uint8Array, v: number[]): Uint8Array;
}

type HelloBytes = 'certificate' | 'keyShare' | 'nonce';
type AcceptBytes = 'certificate' | 'ciphertext' | 'nonce' | 'signature' | 'mac';

const helloField = (k: HelloBytes): BytesField => ({
  message: 'HELLO',
  name: k,
  get: (b) => decodeHello(b)[k],
  set: (b, v) => editHello(b, (m) => ({ ...m, [k]: v })),
});
const acceptField = (k: AcceptBytes): BytesField => ({
  message: 'ACCEPT',
  name: k,
  get: (b) => decodeAccept(b)[k],
  set: (b, v) => editAccept(b, (m) => ({ ...m, [k]: v })),
});
const finishField = (k: 'signature' | 'mac'): BytesField => ({
  message: 'FINISH',
  name: k,
  get: (b) => decodeFinish(b)[k],
  set: (b, v) => editFinish(b, (m) => ({ ...m, [k]: v })),
});

export const BYTES_FIELDS: readonly BytesField[] = [
  helloField('certificate'),
  helloField('keyShare'),
  helloField('nonce'),
  acceptField('certificate'),
  acceptField('ciphertext'),
  acceptField('nonce'),
  acceptField('signature'),
  acceptField('mac'),
  finishField('signature'),
  finishField('mac'),
  {
    message: 'RECORD',
    name: 'sealed',
    get: (b) => decodeRecord(b).sealed,
    // Written by hand: decodeRecord refuses a sealed part shorter than the tag, and the attacker must be able to send one.
    set: (b, v) => {
      const r = decodeRecord(b);
      const head = new Uint8Array(16);
      const view = new DataView(head.buffer);
      view.setUint32(0, r.epoch);
      view.setBigUint64(4, r.seq);
      view.setUint32(12, v.length);
      return concatBytes(head, v);
    },
  },
];

export const LIST_FIELDS: readonly ListField[] = [
  { message: 'HELLO', name: 'versions', set: (b, v) => editHello(b, (m) => ({ ...m, versions: v })) },
  { message: 'HELLO', name: 'suites', set: (b, v) => editHello(b, (m) => ({ ...m, suites: v })) },
  { message: 'ACCEPT', name: 'offeredVersions', set: (b, v) => editAccept(b, (m) => ({ ...m, offeredVersions: v })) },
  { message: 'ACCEPT', name: 'offeredSuites', set: (b, v) => editAccept(b, (m) => ({ ...m, offeredSuites: v })) },
];

/** Flips one bit of a copy. */
export function flipBit(v: Uint8Array, byte: number, bit = 0): Uint8Array {
  const out = Uint8Array.from(v);
  out[byte] ^= 1 << bit;
  return out;
}
