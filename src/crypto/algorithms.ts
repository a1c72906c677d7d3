// Algorithm identifiers, byte sizes and NIST security categories.
// FIPS 203 §8 Table 3 (ML-KEM) and FIPS 204 §4 Table 2 (ML-DSA).

export type KemAlg = 'ML-KEM-512' | 'ML-KEM-768' | 'ML-KEM-1024';
export type SigAlg = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';

export interface KemSizes {
  readonly ek: number;
  readonly dk: number;
  readonly ct: number;
  readonly ss: 32;
  readonly k: 2 | 3 | 4;
  readonly level: 1 | 3 | 5;
}

export interface SigSizes {
  readonly pk: number;
  readonly sk: number;
  readonly sig: number;
  readonly level: 2 | 3 | 5;
}

export const KEM_ALGS: readonly KemAlg[] = ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'];
export const SIG_ALGS: readonly SigAlg[] = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'];

export const KEM_SIZES: Readonly<Record<KemAlg, KemSizes>> = {
  'ML-KEM-512': { ek: 800, dk: 1632, ct: 768, ss: 32, k: 2, level: 1 },
  'ML-KEM-768': { ek: 1184, dk: 2400, ct: 1088, ss: 32, k: 3, level: 3 },
  'ML-KEM-1024': { ek: 1568, dk: 3168, ct: 1568, ss: 32, k: 4, level: 5 },
};

export const SIG_SIZES: Readonly<Record<SigAlg, SigSizes>> = {
  'ML-DSA-44': { pk: 1312, sk: 2560, sig: 2420, level: 2 },
  'ML-DSA-65': { pk: 1952, sk: 4032, sig: 3309, level: 3 },
  'ML-DSA-87': { pk: 2592, sk: 4896, sig: 4627, level: 5 },
};

/** FIPS 203 keygen seed d || z; FIPS 204 keygen seed xi; encaps m; signing rnd. */
export const KEM_SEED_BYTES = 64;
export const KEM_MSG_BYTES = 32;
export const SIG_SEED_BYTES = 32;
export const SIG_RND_BYTES = 32;
/** FIPS 204 §6.2 line 6: mu = H(tr || M', 64). */
export const SIG_MU_BYTES = 64;
/** FIPS 204 §5.2: context strings are at most 255 bytes. */
export const MAX_CONTEXT_BYTES = 255;

/**
 * X-Wing (draft-connolly-cfrg-xwing-kem §5): sk is the 32-byte seed; pk and
 * ct are ML-KEM-768's followed by X25519's 32 bytes; eseed is m || ekX.
 */
export const XWING_SIZES = {
  sk: 32,
  pk: KEM_SIZES['ML-KEM-768'].ek + 32,
  ct: KEM_SIZES['ML-KEM-768'].ct + 32,
  ss: 32,
  eseed: KEM_MSG_BYTES + 32,
} as const;

export function isKemAlg(s: string): s is KemAlg {
  return (KEM_ALGS as readonly string[]).includes(s);
}

export function isSigAlg(s: string): s is SigAlg {
  return (SIG_ALGS as readonly string[]).includes(s);
}
