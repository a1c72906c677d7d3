// Backend over @noble/post-quantum (pure JS). Fully deterministic: honours
// keygen seeds, encaps m, signing rnd, context strings, and exposes the
// FIPS 204 internal and external-mu interfaces. Input lengths and the
// context limit are checked at the edge (assemble.ts, edge.ts).
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { KEM_ALGS, SIG_ALGS, type KemAlg, type SigAlg } from './algorithms.ts';
import { assembleBackend } from './assemble.ts';
import type { CryptoBackend, Kem, SignOptions, Signer, VerifyOptions } from './backend.ts';
import { packageVersion } from './version.ts';

const KEMS = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 } as const;
const DSAS = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;

/** Verification answers false for anything malformed instead of throwing. */
function safely(verify: () => boolean): boolean {
  try {
    return verify();
  } catch {
    return false;
  }
}

function nobleKem(alg: KemAlg): Kem {
  const impl = KEMS[alg];
  return {
    alg,
    keygen(seed) {
      const { publicKey, secretKey } = impl.keygen(seed);
      return { ek: publicKey, dk: secretKey };
    },
    encaps(ek, m) {
      const { cipherText, sharedSecret } = impl.encapsulate(ek, m);
      return { ct: cipherText, ss: Uint8Array.from(sharedSecret) };
    },
    decaps(dk, ct) {
      return Uint8Array.from(impl.decapsulate(ct, dk));
    },
  };
}

function nobleSigner(alg: SigAlg): Signer {
  const impl = DSAS[alg];
  return {
    alg,
    keygen(seed) {
      const { publicKey, secretKey } = impl.keygen(seed);
      return { pk: publicKey, sk: secretKey };
    },
    sign(sk, msg, opts: SignOptions = {}) {
      return impl.sign(msg, sk, { context: opts.context, extraEntropy: opts.rnd });
    },
    verify(pk, msg, sig, opts: VerifyOptions = {}) {
      return safely(() => impl.verify(sig, msg, pk, { context: opts.context }));
    },
    signInternal(sk, mPrime, rnd) {
      return impl.internal.sign(mPrime, sk, { extraEntropy: rnd });
    },
    verifyInternal(pk, mPrime, sig) {
      return safely(() => impl.internal.verify(sig, mPrime, pk));
    },
    signMu(sk, mu, rnd) {
      return impl.internal.sign(mu, sk, { extraEntropy: rnd, externalMu: true });
    },
    verifyMu(pk, mu, sig) {
      return safely(() => impl.internal.verify(sig, mu, pk, { externalMu: true }));
    },
  };
}

export function createNobleBackend(): CryptoBackend {
  return assembleBackend({
    name: 'noble',
    version: `@noble/post-quantum ${packageVersion('@noble/post-quantum')}`,
    deterministic: true,
    kems: KEM_ALGS.map(nobleKem),
    sigs: SIG_ALGS.map(nobleSigner),
  });
}
