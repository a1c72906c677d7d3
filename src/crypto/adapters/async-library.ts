// The asynchronous face of a library, for libraries whose API is Promise-
// based (HPKE KEMs, Emscripten builds) and so cannot implement the
// synchronous CryptoBackend. Only what pairwise interop and X-Wing need:
// key pairs (the private half is opaque: an HPKE key may be a seed), one
// encapsulation or signature, and its inverse. Every CryptoBackend lifts to it.
import type { KemAlg, SigAlg } from '../algorithms.ts';
import type { CryptoBackend } from '../backend.ts';

export interface AsyncKem {
  readonly alg: KemAlg;
  /** seed = d || z when the library takes one; absent = its own randomness. */
  keygen(seed?: Uint8Array): Promise<{ ek: Uint8Array; dk: unknown }>;
  encaps(ek: Uint8Array, m?: Uint8Array): Promise<{ ct: Uint8Array; ss: Uint8Array }>;
  decaps(dk: unknown, ct: Uint8Array): Promise<Uint8Array>;
}

export interface AsyncSigner {
  readonly alg: SigAlg;
  keygen(seed?: Uint8Array): Promise<{ pk: Uint8Array; sk: unknown }>;
  sign(sk: unknown, msg: Uint8Array): Promise<Uint8Array>;
  verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean>;
}

/** X-Wing (draft-connolly-cfrg-xwing-kem §5): sk is the 32-byte seed, eseed the 64 bytes of encapsulation randomness. */
export interface AsyncXWing {
  keygen(seed: Uint8Array): Promise<{ pk: Uint8Array }>;
  encaps(pk: Uint8Array, eseed?: Uint8Array): Promise<{ ct: Uint8Array; ss: Uint8Array }>;
  decaps(seed: Uint8Array, ct: Uint8Array): Promise<Uint8Array>;
}

export interface AsyncLibrary {
  readonly name: string;
  readonly version: string;
  /** Seeds and m are honoured, so one root seed replays every key and ciphertext. */
  readonly deterministic: boolean;
  readonly kems: readonly AsyncKem[];
  readonly sigs: readonly AsyncSigner[];
  readonly xwing?: AsyncXWing;
}

export function liftBackend(b: CryptoBackend): AsyncLibrary {
  const det = b.deterministic;
  return {
    name: b.name,
    version: b.version,
    deterministic: det,
    kems: b.kems.map((alg) => {
      const k = b.kem(alg);
      return {
        alg,
        keygen: async (seed) => (det && seed ? k.keygen(seed) : k.keygen()),
        encaps: async (ek, m) => (det && m ? k.encaps(ek, m) : k.encaps(ek)),
        decaps: async (dk, ct) => k.decaps(dk as Uint8Array, ct),
      };
    }),
    sigs: b.sigs.map((alg) => {
      const s = b.sig(alg);
      return {
        alg,
        keygen: async (seed) => (det && seed ? s.keygen(seed) : s.keygen()),
        sign: async (sk, msg) => s.sign(sk as Uint8Array, msg),
        verify: async (pk, msg, sig) => s.verify(pk, msg, sig),
      };
    }),
  };
}
