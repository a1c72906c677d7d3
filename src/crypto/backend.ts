// The one interface every crypto backend implements. This is a public
// contract: teams certify their own implementation by writing a module whose
// default export is a CryptoBackend (or an async factory of one).
//
// Byte strings carry a brand per role (FIPS 203 ek/dk/c/K, FIPS 204 pk/sk/σ)
// so passing a ciphertext where a decapsulation key belongs, or swapping the
// argument order of another library's call, fails to compile. The brand is an
// optional phantom member: two different brands never mix, yet a plain
// Uint8Array (from a file, the wire, or a third-party library) is accepted
// where any brand is expected, so a user's backend written with plain
// Uint8Array loads and type-checks unchanged.
import type { KemAlg, SigAlg } from './algorithms.ts';

export type { KemAlg, SigAlg } from './algorithms.ts';

declare const role: unique symbol;
/** A byte string with a role; see the note at the top of this file. */
export type Bytes<Role extends string> = Uint8Array & { readonly [role]?: Role };

/** FIPS 203 ek. */
export type EncapsulationKey = Bytes<'EncapsulationKey'>;
/** FIPS 203 dk. */
export type DecapsulationKey = Bytes<'DecapsulationKey'>;
/** FIPS 203 c. */
export type Ciphertext = Bytes<'Ciphertext'>;
/** FIPS 203 K (32 bytes). */
export type SharedSecret = Bytes<'SharedSecret'>;
/** FIPS 203 d || z (64 bytes). */
export type KemSeed = Bytes<'KemSeed'>;
/** FIPS 203 Alg. 17 m (32 bytes). */
export type EncapsulationRandomness = Bytes<'EncapsulationRandomness'>;
/** FIPS 204 pk. */
export type PublicKey = Bytes<'PublicKey'>;
/** FIPS 204 sk. */
export type SecretKey = Bytes<'SecretKey'>;
/** FIPS 204 σ. */
export type Signature = Bytes<'Signature'>;
/** FIPS 204 ξ (32 bytes). */
export type SigSeed = Bytes<'SigSeed'>;
/** FIPS 204 rnd (32 bytes). */
export type SigningRandomness = Bytes<'SigningRandomness'>;

export interface KemKeyPair {
  ek: EncapsulationKey;
  dk: DecapsulationKey;
}

export interface Encapsulation {
  ct: Ciphertext;
  ss: SharedSecret;
}

export interface SigKeyPair {
  pk: PublicKey;
  sk: SecretKey;
}

export interface SignOptions {
  /** FIPS 204 §5.2 context string, at most 255 bytes. */
  context?: Uint8Array;
  /** 32 bytes; absent = hedged (fresh randomness), 32 zero bytes = deterministic. */
  rnd?: SigningRandomness;
}

export interface VerifyOptions {
  context?: Uint8Array;
}

export interface Kem {
  readonly alg: KemAlg;
  /** FIPS 203 Alg. 19 ML-KEM.KeyGen; seed = d || z (64 bytes) makes it Alg. 16 KeyGen_internal. */
  keygen(seed?: KemSeed): KemKeyPair;
  /** FIPS 203 Alg. 20; m (32 bytes) makes it Alg. 17. Throws on an ek failing §7.2 checks. */
  encaps(ek: EncapsulationKey, m?: EncapsulationRandomness): Encapsulation;
  /** FIPS 203 Alg. 21, implicit rejection. Throws on bad lengths or a dk failing the §7.3 hash check. */
  decaps(dk: DecapsulationKey, ct: Ciphertext): SharedSecret;
}

export interface Signer {
  readonly alg: SigAlg;
  /** FIPS 204 Alg. 1; seed = xi (32 bytes) makes it Alg. 6 KeyGen_internal. */
  keygen(seed?: SigSeed): SigKeyPair;
  /** FIPS 204 Alg. 2, pure ML-DSA with optional context. */
  sign(sk: SecretKey, msg: Uint8Array, opts?: SignOptions): Signature;
  /** FIPS 204 Alg. 3. Returns false (never throws) for a bad signature. */
  verify(pk: PublicKey, msg: Uint8Array, sig: Signature, opts?: VerifyOptions): boolean;

  // Optional capabilities.
  /** FIPS 204 Alg. 7 Sign_internal over an already formatted M'. rnd is required (32 bytes). */
  signInternal?(sk: SecretKey, mPrime: Uint8Array, rnd: SigningRandomness): Signature;
  /** FIPS 204 Alg. 8 Verify_internal over an already formatted M'. */
  verifyInternal?(pk: PublicKey, mPrime: Uint8Array, sig: Signature): boolean;
  /** Sign_internal with an externally computed mu (64 bytes), FIPS 204 §6.2 line 6 skipped. */
  signMu?(sk: SecretKey, mu: Uint8Array, rnd: SigningRandomness): Signature;
  /** Verify_internal with an externally computed mu. */
  verifyMu?(pk: PublicKey, mu: Uint8Array, sig: Signature): boolean;
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
