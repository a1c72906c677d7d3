// The one interface every crypto backend implements. This is a public
// contract: teams certify their own implementation by writing a module whose
// default export is a CryptoBackend (or an async factory of one).
import type { KemAlg, SigAlg } from './algorithms.ts';

export type { KemAlg, SigAlg } from './algorithms.ts';

export interface KemKeyPair {
  ek: Uint8Array;
  dk: Uint8Array;
}

export interface Encapsulation {
  ct: Uint8Array;
  ss: Uint8Array;
}

export interface SigKeyPair {
  pk: Uint8Array;
  sk: Uint8Array;
}

export interface SignOptions {
  /** FIPS 204 §5.2 context string, at most 255 bytes. */
  context?: Uint8Array;
  /** 32 bytes; absent = hedged (fresh randomness), 32 zero bytes = deterministic. */
  rnd?: Uint8Array;
}

export interface VerifyOptions {
  context?: Uint8Array;
}

export interface Kem {
  readonly alg: KemAlg;
  /** FIPS 203 Alg. 19 ML-KEM.KeyGen; seed = d || z (64 bytes) makes it Alg. 16 KeyGen_internal. */
  keygen(seed?: Uint8Array): KemKeyPair;
  /** FIPS 203 Alg. 20; m (32 bytes) makes it Alg. 17. Throws on an ek failing §7.2 checks. */
  encaps(ek: Uint8Array, m?: Uint8Array): Encapsulation;
  /** FIPS 203 Alg. 21, implicit rejection. Throws on bad lengths or a dk failing the §7.3 hash check. */
  decaps(dk: Uint8Array, ct: Uint8Array): Uint8Array;
}

export interface Signer {
  readonly alg: SigAlg;
  /** FIPS 204 Alg. 1; seed = xi (32 bytes) makes it Alg. 6 KeyGen_internal. */
  keygen(seed?: Uint8Array): SigKeyPair;
  /** FIPS 204 Alg. 2, pure ML-DSA with optional context. */
  sign(sk: Uint8Array, msg: Uint8Array, opts?: SignOptions): Uint8Array;
  /** FIPS 204 Alg. 3. Returns false (never throws) for a bad signature. */
  verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array, opts?: VerifyOptions): boolean;

  // Optional capabilities.
  /** FIPS 204 Alg. 7 Sign_internal over an already formatted M'. rnd is required (32 bytes). */
  signInternal?(sk: Uint8Array, mPrime: Uint8Array, rnd: Uint8Array): Uint8Array;
  /** FIPS 204 Alg. 8 Verify_internal over an already formatted M'. */
  verifyInternal?(pk: Uint8Array, mPrime: Uint8Array, sig: Uint8Array): boolean;
  /** Sign_internal with an externally computed mu (64 bytes), FIPS 204 §6.2 line 6 skipped. */
  signMu?(sk: Uint8Array, mu: Uint8Array, rnd: Uint8Array): Uint8Array;
  /** Verify_internal with an externally computed mu. */
  verifyMu?(pk: Uint8Array, mu: Uint8Array, sig: Uint8Array): boolean;
}

export interface CryptoBackend {
  readonly name: string;
  readonly version: string;
  /** True when keygen seeds, encaps m and signing rnd are honoured. */
  readonly deterministic: boolean;
  readonly kems: readonly KemAlg[];
  readonly sigs: readonly SigAlg[];
  kem(alg: KemAlg): Kem;
  sig(alg: SigAlg): Signer;
  /** True only for the insecure mock; the production guard refuses such backends. */
  readonly insecure?: boolean;
}

export { UnsupportedCapabilityError } from '../check/unsupported.ts';

/** Thrown when a backend is asked for an algorithm it does not list. */
export class UnsupportedAlgorithmError extends Error {
  constructor(backend: string, alg: string) {
    super(`backend ${backend} does not support ${alg}`);
    this.name = 'UnsupportedAlgorithmError';
  }
}
