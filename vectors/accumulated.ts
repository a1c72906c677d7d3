// Accumulated known-answer tests (C2SP/CCTV procedures): thousands of
// deterministic tests whose inputs come from one SHAKE-128 stream and whose
// outputs are absorbed into another, so a whole run reduces to one digest.
import { shake128 } from '@noble/hashes/sha3.js';
import { KEM_SIZES, type KemAlg, type SigAlg } from '../src/crypto/algorithms.ts';
import type { Kem, Signer } from '../src/crypto/backend.ts';

export type AccumulatedSize = 100 | 10000;

/** FIPS 203 final values (equal to BoringSSL's); CCTV's README publishes the draft-standard ones. */
export const ACCUMULATED_MLKEM: Readonly<Record<KemAlg, Record<AccumulatedSize, string>>> = {
  'ML-KEM-512': {
    100: '449120c6e320ef3e9fbfa2316e5f2d2e1e6dd37d8ff5d086d5d2db7d42aff0a1',
    10000: '705dcffc87f4e67e35a09dcaa31772e86f3341bd3ccf1e78a5fef99ae6a35a13',
  },
  'ML-KEM-768': {
    100: '8d65b902f28edc683cebee2872962fd165a4d197c9e24ec74caa4470270df0b7',
    10000: 'f959d18d3d1180121433bf0e05f11e7908cf9d03edc150b2b07cb90bef5bc1c1',
  },
  'ML-KEM-1024': {
    100: 'c3ffe9ebecfa479c142656cbfbc6417efa05b77e994fe538eef4daed166363df',
    10000: 'e3bf82b013307b2e9d47dde791ff6dfc82e694e6382404abdb948b908b75bad5',
  },
};

/** C2SP/CCTV ML-DSA/accumulated/README.md. */
export const ACCUMULATED_MLDSA: Readonly<Record<SigAlg, Record<AccumulatedSize, string>>> = {
  'ML-DSA-44': {
    100: 'd51148e1f9f4fa1a723a6cf42e25f2a99eb5c1b378b3d2dbbd561b1203beeae4',
    10000: 'e7fd21f6a59bcba60d65adc44404bb29a7c00e5d8d3ec06a732c00a306a7d143',
  },
  'ML-DSA-65': {
    100: '8358a1843220194417cadbc2651295cd8fc65125b5a5c1a239a16dc8b57ca199',
    10000: '5ff5e196f0b830c3b10a9eb5358e7c98a3a20136cb677f3ae3b90175c3ace329',
  },
  'ML-DSA-87': {
    100: '8c3ad714777622b8f21ce31bb35f71394f23bc0fcf3c78ace5d608990f3b061b',
    10000: '80a8cf39317f7d0be0e24972c51ac152bd2a3e09bc0c32ce29dd82c4e7385e60',
  },
};

/** A round-trip that broke inside the run: which iteration and what. */
export interface AccumulatedProblem {
  iteration: number;
  field: string;
  message: string;
  expected?: Uint8Array;
  actual?: Uint8Array;
}

export interface AccumulatedResult {
  /** Hex of the 32 bytes squeezed from the accumulator; undefined when the run stopped early. */
  digest?: string;
  iterations: number;
  problem?: AccumulatedProblem;
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * ML-KEM: per test read d, z, m and an invalid ciphertext from the input stream;
 * absorb ek, dk, ct, K (encaps) and K (decaps of the invalid ciphertext).
 * Stops at the first iteration where decaps(ct) differs from the encapsulated K.
 */
export function accumulateMlKem(kem: Kem, iterations: number): AccumulatedResult {
  const input = shake128.create({});
  const acc = shake128.create({});
  const ctLen = KEM_SIZES[kem.alg].ct;
  for (let i = 0; i < iterations; i++) {
    const d = input.xof(32);
    const z = input.xof(32);
    const m = input.xof(32);
    const badCt = input.xof(ctLen);
    const seed = new Uint8Array(64);
    seed.set(d);
    seed.set(z, 32);
    const { ek, dk } = kem.keygen(seed);
    const { ct, ss } = kem.encaps(ek, m);
    const ss2 = kem.decaps(dk, ct);
    if (!equal(ss, ss2)) {
      return {
        iterations: i + 1,
        problem: {
          iteration: i,
          field: 'k',
          message: `iteration ${i}: decapsulation did not return the encapsulated secret`,
          expected: ss,
          actual: ss2,
        },
      };
    }
    const rejected = kem.decaps(dk, badCt);
    acc.update(ek).update(dk).update(ct).update(ss).update(rejected);
  }
  return { iterations, digest: hex(acc.xof(32)) };
}

/** One ML-DSA accumulated test: keygen(seed), the deterministic signature of the empty message, and whether it verifies. */
export function mlDsaIteration(signer: Signer, seed: Uint8Array): { pk: Uint8Array; sig: Uint8Array; verified: boolean } {
  const { pk, sk } = signer.keygen(seed);
  const sig = signer.sign(sk, EMPTY, { rnd: ZERO_RND });
  return { pk, sig, verified: signer.verify(pk, EMPTY, sig) };
}

const EMPTY = new Uint8Array(0);
const ZERO_RND = new Uint8Array(32);

/** The problem of an ML-DSA accumulated test whose signature does not verify. */
export function unverifiedSignature(i: number): AccumulatedProblem {
  return { iteration: i, field: 'signature', message: `iteration ${i}: the deterministic signature of the empty message does not verify` };
}

/**
 * ML-DSA: per test seed = read(32); absorb pk; sign the empty message
 * deterministically with an empty context; absorb the signature; it must verify.
 */
export function accumulateMlDsa(signer: Signer, iterations: number): AccumulatedResult {
  const input = shake128.create({});
  const acc = shake128.create({});
  for (let i = 0; i < iterations; i++) {
    const { pk, sig, verified } = mlDsaIteration(signer, input.xof(32));
    acc.update(pk).update(sig);
    if (!verified) return { iterations: i + 1, problem: unverifiedSignature(i) };
  }
  return { iterations, digest: hex(acc.xof(32)) };
}
