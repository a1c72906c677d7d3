// Adapter for `mlkem` (TypeScript ML-KEM, FIPS 203). Its create*() factories
// give a synchronous interface with seed-derived keys (d || z) and explicit
// encapsulation randomness m, so it is fully deterministic. ML-KEM only.
import { createMlKem512, createMlKem768, createMlKem1024, type MlKemInterface } from 'mlkem';
import type { KemAlg } from '../algorithms.ts';
import { assembleBackend } from '../assemble.ts';
import type { CryptoBackend, Kem } from '../backend.ts';
import { packageVersion } from '../version.ts';

function mlkemKem(alg: KemAlg, impl: MlKemInterface): Kem {
  return {
    alg,
    keygen(seed) {
      const [ek, dk] = seed === undefined ? impl.generateKeyPair() : impl.deriveKeyPair(seed);
      return { ek, dk };
    },
    encaps(ek, m) {
      const [ct, ss] = impl.encap(ek, m);
      return { ct, ss };
    },
    decaps: (dk, ct) => impl.decap(ct, dk),
  };
}

export async function createMlkemBackend(): Promise<CryptoBackend> {
  const [k512, k768, k1024] = await Promise.all([createMlKem512(), createMlKem768(), createMlKem1024()]);
  return assembleBackend({
    name: 'mlkem',
    version: `mlkem ${packageVersion('mlkem')}`,
    deterministic: true,
    // The matrix certifies the library's own input checks.
    edge: 'raw',
    kems: [mlkemKem('ML-KEM-512', k512), mlkemKem('ML-KEM-768', k768), mlkemKem('ML-KEM-1024', k1024)],
    sigs: [],
  });
}
