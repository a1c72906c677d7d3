// Adapter for `@theqrl/mldsa87` (pure JS ML-DSA-87, FIPS 204, with context
// strings). Key generation takes the 32-byte seed xi; signing is either
// deterministic (rnd = 0) or randomized, drawing rnd through
// globalThis.crypto.getRandomValues, where a given rnd is injected
// (inject.ts). The library refuses an rnd whose first 16 bytes are all zero
// as a failed random source, so such an rnd (other than all-zero) is
// reported as unsupported rather than silently changed.
import { createRequire } from 'node:module';
import { assembleBackend } from '../assemble.ts';
import { UnsupportedCapabilityError, type CryptoBackend, type Signer } from '../backend.ts';
import { packageVersion } from '../version.ts';
import { withRandomnessFrom } from './inject.ts';

/** The part of the package used here (its own typings are not reachable through its exports map). */
interface TheQrlMldsa87 {
  CryptoPublicKeyBytes: number;
  CryptoSecretKeyBytes: number;
  CryptoBytes: number;
  cryptoSignKeypair(seed: Uint8Array | null, pk: Uint8Array, sk: Uint8Array): Uint8Array;
  cryptoSignSignature(sig: Uint8Array, m: Uint8Array, sk: Uint8Array, randomized: boolean, ctx: Uint8Array): number;
  cryptoSignVerify(sig: Uint8Array, m: Uint8Array, pk: Uint8Array, ctx: Uint8Array): boolean;
}

const mldsa87 = createRequire(import.meta.url)('@theqrl/mldsa87') as TheQrlMldsa87;
const NAME = 'theqrl-mldsa87';
const EMPTY = new Uint8Array(0);
const isZero = (b: Uint8Array, upTo = b.length) => b.subarray(0, upTo).every((x) => x === 0);

function signer(): Signer {
  return {
    alg: 'ML-DSA-87',
    keygen(seed) {
      const pk = new Uint8Array(mldsa87.CryptoPublicKeyBytes);
      const sk = new Uint8Array(mldsa87.CryptoSecretKeyBytes);
      mldsa87.cryptoSignKeypair(seed ?? null, pk, sk);
      return { pk, sk };
    },
    sign(sk, msg, opts = {}) {
      const sig = new Uint8Array(mldsa87.CryptoBytes);
      const ctx = opts.context ?? EMPTY;
      const { rnd } = opts;
      if (rnd === undefined) mldsa87.cryptoSignSignature(sig, msg, sk, true, ctx);
      else if (isZero(rnd)) mldsa87.cryptoSignSignature(sig, msg, sk, false, ctx);
      else if (isZero(rnd, 16))
        throw new UnsupportedCapabilityError(NAME, 'an rnd whose first 16 bytes are zero (the library takes it for a broken RNG)');
      else
        withRandomnessFrom(NAME, globalThis.crypto, 'getRandomValues', [Uint8Array.from(rnd)], () =>
          mldsa87.cryptoSignSignature(sig, msg, sk, true, ctx),
        );
      return sig;
    },
    verify(pk, msg, sig, opts = {}) {
      try {
        return mldsa87.cryptoSignVerify(sig, msg, pk, opts.context ?? EMPTY);
      } catch {
        return false;
      }
    },
  };
}

export function createTheqrlMldsa87Backend(): CryptoBackend {
  return assembleBackend({
    name: NAME,
    version: `@theqrl/mldsa87 ${packageVersion('@theqrl/mldsa87')}`,
    deterministic: true,
    edge: 'raw',
    kems: [],
    sigs: [signer()],
  });
}
