// X-Wing hybrid KEM (draft-connolly-cfrg-xwing-kem): ML-KEM-768 + X25519
// joined by a SHA3-256 combiner, built over any backend's ML-KEM-768.
// The backend must be deterministic: X-Wing derives ML-KEM keys from a seed.
// X25519 runs on Node's OpenSSL (x25519.ts): the pure-JS one costs ~1.8 ms an
// operation, and a handshake needs five.
import { sha3_256, shake256 } from '@noble/hashes/sha3.js';
import { concatBytes, randomBytes } from '@noble/hashes/utils.js';
import { KEM_SIZES, XWING_SIZES } from './algorithms.ts';
import type { CryptoBackend, Encapsulation, Kem } from './backend.ts';
import { requireBytes } from './edge.ts';
import { x25519PublicKey, x25519SharedSecret } from './x25519.ts';

export { XWING_SIZES } from './algorithms.ts';
const MLKEM_EK = KEM_SIZES['ML-KEM-768'].ek;
const MLKEM_CT = KEM_SIZES['ML-KEM-768'].ct;
/** XWingLabel, §5.3: the ASCII art \.//^\ */
const LABEL = new Uint8Array([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);

export interface XWingKeyPair {
  sk: Uint8Array;
  pk: Uint8Array;
}

/** The decapsulation key after §5.2 expansion; keeping it saves re-deriving ML-KEM keys per decapsulation. */
export interface XWingExpandedKey {
  dkM: Uint8Array;
  skX: Uint8Array;
  pkX: Uint8Array;
}

export interface XWing {
  keygen(seed?: Uint8Array): XWingKeyPair;
  encaps(pk: Uint8Array, eseed?: Uint8Array): Encapsulation;
  decaps(sk: Uint8Array, ct: Uint8Array): Uint8Array;
  /** keygen that also returns the expanded key, for ephemeral use (handshakes). */
  keygenExpanded(seed?: Uint8Array): XWingKeyPair & { expanded: XWingExpandedKey };
  decapsExpanded(key: XWingExpandedKey, ct: Uint8Array): Uint8Array;
}

const exact = (name: string, b: Uint8Array, len: number) => requireBytes('X-Wing', name, b, len);

/** §5.3 Combiner: SHA3-256(ss_M || ss_X || ct_X || pk_X || XWingLabel). */
function combine(ssM: Uint8Array, ssX: Uint8Array, ctX: Uint8Array, pkX: Uint8Array): Uint8Array {
  return sha3_256(concatBytes(ssM, ssX, ctX, pkX, LABEL));
}

/** §5.2 expandDecapsulationKey: SHAKE-256(sk, 96) -> ML-KEM seed (64) || X25519 secret (32). */
function expand(mlkem: Kem, sk: Uint8Array): XWingExpandedKey & { ekM: Uint8Array } {
  exact('secret key', sk, XWING_SIZES.sk);
  const expanded = shake256(sk, { dkLen: 96 });
  const { ek, dk } = mlkem.keygen(expanded.subarray(0, 64));
  const skX = expanded.slice(64, 96);
  return { ekM: ek, dkM: dk, skX, pkX: x25519PublicKey(skX) };
}

/** §5.5 Decapsulate, from an expanded key. */
function decapsulate(mlkem: Kem, key: XWingExpandedKey, ct: Uint8Array): Uint8Array {
  exact('ciphertext', ct, XWING_SIZES.ct);
  const ctX = ct.subarray(MLKEM_CT);
  const ssM = mlkem.decaps(key.dkM, ct.subarray(0, MLKEM_CT));
  return combine(ssM, x25519SharedSecret(key.skX, ctX), ctX, key.pkX);
}

export function createXWing(backend: CryptoBackend): XWing {
  if (!backend.kems.includes('ML-KEM-768')) throw new Error(`X-Wing needs ML-KEM-768, which backend ${backend.name} lacks`);
  const mlkem = backend.kem('ML-KEM-768');
  const keygenExpanded = (seed: Uint8Array = randomBytes(32)) => {
    const { ekM, ...expanded } = expand(mlkem, seed);
    return { sk: Uint8Array.from(seed), pk: concatBytes(ekM, expanded.pkX), expanded };
  };
  return {
    keygenExpanded,
    keygen(seed) {
      const { sk, pk } = keygenExpanded(seed);
      return { sk, pk };
    },
    // §5.4 Encapsulate / EncapsulateDerand
    encaps(pk, eseed = randomBytes(64)) {
      exact('public key', pk, XWING_SIZES.pk);
      exact('eseed', eseed, XWING_SIZES.eseed);
      const pkX = pk.subarray(MLKEM_EK);
      const ekX = eseed.subarray(32, 64);
      const ctX = x25519PublicKey(ekX);
      const ssX = x25519SharedSecret(ekX, pkX);
      const { ct: ctM, ss: ssM } = mlkem.encaps(pk.subarray(0, MLKEM_EK), eseed.subarray(0, 32));
      return { ct: concatBytes(ctM, ctX), ss: combine(ssM, ssX, ctX, pkX) };
    },
    decaps: (sk, ct) => decapsulate(mlkem, expand(mlkem, sk), ct),
    decapsExpanded: (key, ct) => decapsulate(mlkem, key, ct),
  };
}
