// What makes an ML-KEM key a real negative test: FIPS 203 §7.2 (the
// encapsulation-key modulus check) and §7.3 (the decapsulation-key hash
// check). A "bad" key that a backend without those checks would also refuse,
// or would also accept, tests nothing (ACVP-Server #460).
import { sha3_256 } from '@noble/hashes/sha3.js';
import { KEM_SIZES, type KemAlg } from '../../src/crypto/algorithms.ts';

/** FIPS 203 §2.4: the ML-KEM modulus. */
export const Q = 3329;

/**
 * Index of the first 12-bit coefficient >= q in the encoded vector t-hat of
 * ek (ByteDecode_12, FIPS 203 §4.2.1 Alg. 6: two coefficients per 3 bytes,
 * little-endian), or -1 when every coefficient is reduced. ek must have its
 * standard length; only its first 384k bytes (t-hat) are decoded, rho is not.
 */
export function firstUnreducedCoefficient(alg: KemAlg, ek: Uint8Array): number {
  const tHatBytes = 384 * KEM_SIZES[alg].k;
  for (let i = 0, n = 0; i + 2 < tHatBytes; i += 3, n += 2) {
    const a = ek[i] | ((ek[i + 1] & 0x0f) << 8);
    const b = (ek[i + 1] >> 4) | (ek[i + 2] << 4);
    if (a >= Q) return n;
    if (b >= Q) return n + 1;
  }
  return -1;
}

/** Why a negative encapsulationKeyCheck key cannot discriminate, or undefined when it can. */
export function negativeEkDefect(alg: KemAlg, ek: Uint8Array): string | undefined {
  const want = KEM_SIZES[alg].ek;
  if (ek.length !== want)
    return `ek is ${ek.length} bytes, not the standard ${want}: any backend refuses it by length, so the modulus check is not tested`;
  if (firstUnreducedCoefficient(alg, ek) < 0)
    return 'ek has no coefficient >= q (3329): a backend without the FIPS 203 §7.2 modulus check would refuse it too, or accept it rightly';
  return undefined;
}

/**
 * Why a negative decapsulationKeyCheck key cannot discriminate. dk is
 * dk_PKE (384k) || ek (384k + 32) || H(ek) (32) || z (32); the §7.3 check
 * compares H(ek) with the stored hash, so a negative key must be of standard
 * length and carry a stored hash that differs from H(ek).
 */
export function negativeDkDefect(alg: KemAlg, dk: Uint8Array): string | undefined {
  const { k, dk: want } = KEM_SIZES[alg];
  if (dk.length !== want)
    return `dk is ${dk.length} bytes, not the standard ${want}: any backend refuses it by length, so the hash check is not tested`;
  const ekStart = 384 * k;
  const ekEnd = ekStart + 384 * k + 32;
  const h = sha3_256(dk.subarray(ekStart, ekEnd));
  const stored = dk.subarray(ekEnd, ekEnd + 32);
  if (h.every((x, i) => x === stored[i]))
    return 'dk stores the correct H(ek): it passes the FIPS 203 §7.3 hash check, so it is not a negative test of it';
  return undefined;
}
