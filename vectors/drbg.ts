// NIST's AES-256-CTR DRBG as used by PQCgenKAT (SP 800-90A §10.2.1 without a
// derivation function, no personalization, no reseed counter limit), and the
// classic `.rsp` known-answer text it drives. Nothing here is stored data: the
// text is regenerated and only its SHA-256 is compared with a published digest.
import { createCipheriv, createHash } from 'node:crypto';
import type { KemAlg, SigAlg } from '../src/crypto/algorithms.ts';
import type { Kem, Signer } from '../src/crypto/backend.ts';

const KEY_BYTES = 32;
const BLOCK_BYTES = 16;
const SEED_BYTES = KEY_BYTES + BLOCK_BYTES; // seedlen = 384 bits

/** SHA-256 of the `.rsp` text, from liboqs tests/KATs/{kem,sig}/kats.json (commit 8979276a). */
export const NIST_KAT_DIGESTS: Readonly<Record<KemAlg | SigAlg, { single: string; all: string }>> = {
  'ML-KEM-512': {
    single: 'c70041a761e01cd6426fa60e9fd6a4412c2be817386c8d0f3334898082512782',
    all: '74b470e797cbdbd589a31d387d36c72aad5033446ab5159bf4014c24652b1173',
  },
  'ML-KEM-768': {
    single: '5352539586b6c3df58be6158a6250aeff402bd73060b0a3de68850ac074c17c3',
    all: 'e5d6911117c708d8342702db222f66bef5ac5b0314fb8bc36eb22a536c9b34fb',
  },
  'ML-KEM-1024': {
    single: 'f580d851e5fb27e6876e5e203fa18be4cdbfd49e05d48fec3d3992c8f43a13e6',
    all: '81d1ae0468f62154885b6f2a293c0eb48f9339645357a88bbbc186c57ab0ace0',
  },
  'ML-DSA-44': {
    single: '9a196e7fb32fbc93757dc2d8dc1924460eab66303c0c08aeb8b798fb8d8f8cf3',
    all: '54322d25c05b96941aec73eb3ee27a975d38a34bfb53ef4cb9fd4a8e9cab554c',
  },
  'ML-DSA-65': {
    single: '7cb96242eac9907a55b5c84c202f0ebd552419c50b2e986dc2e28f07ecebf072',
    all: '47e1ca6d4a45e9853e381954cf97206eca22993deade3cade45bd9d9457c93f9',
  },
  'ML-DSA-87': {
    single: '4537905d2aabcf302fab2f242baed293459ecda7c230e6a67063b02c7e2840ed',
    all: '12382114979d5b64436aebfe6db02d61c07859429233105e936752cb77cc585a',
  },
};

export interface DrbgState {
  key: Uint8Array;
  v: Uint8Array;
}

/** §10.2.1.2 CTR_DRBG_Update and §10.2.1.5.1 Generate, with AES-256 as the block cipher. */
export class CtrDrbg {
  private key = new Uint8Array(KEY_BYTES);
  private v = new Uint8Array(BLOCK_BYTES);

  /** §10.2.1.3.1 Instantiate without df: Key = 0, V = 0, then Update(entropy). */
  constructor(entropy: Uint8Array) {
    this.reseed(entropy);
  }

  /** PQCgenKAT's randombytes_init: a fresh instantiation from 48 bytes. */
  reseed(entropy: Uint8Array): void {
    if (entropy.length !== SEED_BYTES) throw new Error(`CTR_DRBG seed must be ${SEED_BYTES} bytes, got ${entropy.length}`);
    this.key = new Uint8Array(KEY_BYTES);
    this.v = new Uint8Array(BLOCK_BYTES);
    this.update(entropy);
  }

  save(): DrbgState {
    return { key: this.key.slice(), v: this.v.slice() };
  }

  restore(s: DrbgState): void {
    this.key = s.key.slice();
    this.v = s.v.slice();
  }

  /** randombytes(n): ceil(n/16) counter blocks, then one Update with no data. */
  randomBytes(n: number): Uint8Array {
    const blocks = Math.ceil(n / BLOCK_BYTES);
    const out = this.keystream(blocks).subarray(0, n);
    this.update();
    return out;
  }

  /** Encrypts successive counter values V+1, V+2, ... (V is a 128-bit big-endian integer). */
  private keystream(blocks: number): Uint8Array {
    const counters = new Uint8Array(blocks * BLOCK_BYTES);
    for (let b = 0; b < blocks; b++) {
      increment(this.v);
      counters.set(this.v, b * BLOCK_BYTES);
    }
    const aes = createCipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
    const out = Buffer.concat([aes.update(counters), aes.final()]);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }

  /** §10.2.1.2: temp = three keystream blocks XOR provided data; Key || V = temp. */
  private update(provided?: Uint8Array): void {
    const temp = this.keystream(SEED_BYTES / BLOCK_BYTES).slice();
    if (provided) for (let i = 0; i < SEED_BYTES; i++) temp[i] ^= provided[i];
    this.key = temp.slice(0, KEY_BYTES);
    this.v = temp.slice(KEY_BYTES);
  }
}

function increment(v: Uint8Array): void {
  for (let i = v.length - 1; i >= 0; i--) {
    v[i] = (v[i] + 1) & 0xff;
    if (v[i] !== 0) return;
  }
}

/** PQCgenKAT's outer seed: bytes 0x00..0x2f. */
export function nistEntropyInput(): Uint8Array {
  return Uint8Array.from({ length: SEED_BYTES }, (_, i) => i);
}

const HEX = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** A problem found while generating: an output that did not round-trip. */
export interface KatProblem {
  count: number;
  field: string;
  message: string;
  expected?: Uint8Array;
  actual?: Uint8Array;
}

export interface RspResult {
  text: string;
  sha256: string;
  /** Records generated (count 0..records-1). */
  records: number;
  problem?: KatProblem;
}

function joinRecords(records: string[][]): string {
  // One blank line between records and none after the last; every line ends in \n.
  return records.map((lines) => lines.map((l) => `${l}\n`).join('')).join('\n');
}

function finish(records: string[][], problem?: KatProblem): RspResult {
  const text = joinRecords(records);
  return { text, sha256: createHash('sha256').update(text).digest('hex'), records: records.length, problem };
}

/** ML-KEM `.rsp` text: per count, keypair from one 64-byte call (d || z), encaps m from one 32-byte call. */
export function generateKemRsp(kem: Kem, count: number): RspResult {
  const outer = new CtrDrbg(nistEntropyInput());
  const records: string[][] = [];
  for (let n = 0; n < count; n++) {
    const seed = outer.randomBytes(SEED_BYTES);
    const saved = outer.save();
    const inner = new CtrDrbg(seed);
    const { ek, dk } = kem.keygen(inner.randomBytes(64));
    const { ct, ss } = kem.encaps(ek, inner.randomBytes(32));
    const ss2 = kem.decaps(dk, ct);
    records.push([`count = ${n}`, `seed = ${HEX(seed)}`, `pk = ${HEX(ek)}`, `sk = ${HEX(dk)}`, `ct = ${HEX(ct)}`, `ss = ${HEX(ss)}`]);
    outer.restore(saved);
    if (Buffer.compare(Buffer.from(ss), Buffer.from(ss2)) !== 0) {
      return finish(records, {
        count: n,
        field: 'ss',
        message: 'decapsulation did not return the encapsulated secret',
        expected: ss,
        actual: ss2,
      });
    }
  }
  return finish(records);
}

/** ML-DSA `.rsp` text: per count, seed = rb(48) and msg = rb(33(count+1)) from the outer DRBG; keygen rb(32), sign rb(32). */
export function generateSigRsp(signer: Signer, count: number): RspResult {
  const outer = new CtrDrbg(nistEntropyInput());
  const records: string[][] = [];
  for (let n = 0; n < count; n++) {
    const seed = outer.randomBytes(SEED_BYTES);
    const msg = outer.randomBytes(33 * (n + 1));
    const saved = outer.save();
    const inner = new CtrDrbg(seed);
    const { pk, sk } = signer.keygen(inner.randomBytes(32));
    const sig = signer.sign(sk, msg, { rnd: inner.randomBytes(32) });
    const sm = new Uint8Array(sig.length + msg.length);
    sm.set(sig);
    sm.set(msg, sig.length);
    records.push([
      `count = ${n}`,
      `seed = ${HEX(seed)}`,
      `mlen = ${msg.length}`,
      `msg = ${HEX(msg)}`,
      `pk = ${HEX(pk)}`,
      `sk = ${HEX(sk)}`,
      `smlen = ${sm.length}`,
      `sm = ${HEX(sm)}`,
    ]);
    outer.restore(saved);
    if (!signer.verify(pk, msg, sig)) {
      return finish(records, { count: n, field: 'sm', message: 'the generated signature does not verify' });
    }
  }
  return finish(records);
}
