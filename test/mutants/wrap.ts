// Builds a mutant: a copy of a real backend with one operation replaced.
// Every mutant module in this folder is a default-exported async factory.
import type { CryptoBackend, Kem, KemAlg, SigAlg, Signer } from '../../src/crypto/backend.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';

export interface Mutation {
  /** Overrides for a KEM; receives the honest implementation. */
  kem?: (honest: Kem) => Partial<Kem>;
  sig?: (honest: Signer) => Partial<Signer>;
}

export function mutate(name: string, mutation: Mutation, base: CryptoBackend = createNobleBackend()): CryptoBackend {
  const kems = new Map<KemAlg, Kem>();
  const sigs = new Map<SigAlg, Signer>();
  return {
    name: `mutant:${name}`,
    version: `${base.version} with one seeded defect (${name})`,
    deterministic: base.deterministic,
    kems: base.kems,
    sigs: base.sigs,
    kem(alg) {
      let k = kems.get(alg);
      if (!k) {
        const honest = base.kem(alg);
        k = { ...honest, ...mutation.kem?.(honest) };
        kems.set(alg, k);
      }
      return k;
    },
    sig(alg) {
      let s = sigs.get(alg);
      if (!s) {
        const honest = base.sig(alg);
        s = { ...honest, ...mutation.sig?.(honest) };
        sigs.set(alg, s);
      }
      return s;
    },
  };
}
