// X-Wing hybrid KEM (draft-connolly-cfrg-xwing-kem): ML-KEM-768 + X25519
// joined by a SHA3-256 combiner, built over any backend's ML-KEM-768.
// The backend must be deterministic: X-Wing derives ML-KEM keys from a seed.
import { x25519 } from '@noble/curves/ed25519.js';
import { sha3_256, shake256 } from '@noble/hashes/sha3.js';
import { randomBytes } from '@noble/hashes/utils.js';
import type { CryptoBackend, Encapsulation, Kem } from './backend.ts';

export const XWING_SIZES = { sk: 32, pk: 1216, ct: 1120, ss: 32, eseed: 64 } as const;
const MLKEM_EK = 1184;
const MLKEM_CT = 1088;
/** XWingLabel, §5.3: the ASCII art \.//^\ */
const LABEL = new Uint8Array([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);

export interface XWingKeyPair {
  sk: Uint8Array;
  pk: Uint8Array;
}

export interface XWing {
  keygen(seed?: Uint8Array): XWingKeyPair;
  encaps(pk: Uint8Array, eseed?: Uint8Array): Encapsulation;
  decaps(sk: Uint8Array, ct: Uint8Array): Uint8Array;
}

function exact(name: string, b: Uint8Array, len: number): void {
  if (b.length !== len) throw new Error(`X-Wing ${name} must be ${len} bytes, got ${b.length}`);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** §5.3 Combiner: SHA3-256(ss_M || ss_X || ct_X || pk_X || XWingLabel). */
function combine(ssM: Uint8Array, ssX: Uint8Array, ctX: Uint8Array, pkX: Uint8Array): Uint8Array {
  return sha3_256(concat(ssM, ssX, ctX, pkX, LABEL));
}

/** §5.2 expandDecapsulationKey: SHAKE-256(sk, 96) -> ML-KEM seed (64) || X25519 secret (32). */
function expand(mlkem: Kem, sk: Uint8Array) {
  const expanded = shake256(sk, { dkLen: 96 });
  const { ek, dk } = mlkem.keygen(expanded.subarray(0, 64));
  const skX = expanded.slice(64, 96);
  return { ekM: ek, dkM: dk, skX, pkX: x25519.getPublicKey(skX) };
}

export function createXWing(backend: CryptoBackend): XWing {
  if (!backend.kems.includes('ML-KEM-768')) throw new Error(`X-Wing needs ML-KEM-768, which backend ${backend.name} lacks`);
  const mlkem = backend.kem('ML-KEM-768');
  return {
    keygen(seed = randomBytes(32)) {
      exact('seed', seed, XWING_SIZES.sk);
      const { ekM, pkX } = expand(mlkem, seed);
      return { sk: Uint8Array.from(seed), pk: concat(ekM, pkX) };
    },
    // §5.4 Encapsulate / EncapsulateDerand
    encaps(pk, eseed = randomBytes(64)) {
      exact('public key', pk, XWING_SIZES.pk);
      exact('eseed', eseed, XWING_SIZES.eseed);
      const pkM = pk.subarray(0, MLKEM_EK);
      const pkX = pk.subarray(MLKEM_EK);
      const ekX = eseed.subarray(32, 64);
      const ctX = x25519.getPublicKey(ekX);
      const ssX = x25519.getSharedSecret(ekX, pkX);
      const { ct: ctM, ss: ssM } = mlkem.encaps(pkM, eseed.subarray(0, 32));
      return { ct: concat(ctM, ctX), ss: combine(ssM, ssX, ctX, pkX) };
    },
    // §5.5 Decapsulate
    decaps(sk, ct) {
      exact('secret key', sk, XWING_SIZES.sk);
      exact('ciphertext', ct, XWING_SIZES.ct);
      const { dkM, skX, pkX } = expand(mlkem, sk);
      const ctM = ct.subarray(0, MLKEM_CT);
      const ctX = ct.subarray(MLKEM_CT);
      const ssM = mlkem.decaps(dkM, ctM);
      const ssX = x25519.getSharedSecret(skX, ctX);
      return combine(ssM, ssX, ctX, pkX);
    },
  };
}
