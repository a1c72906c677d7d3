// Backend over the `pqclean` package (PQClean's C code as a native addon).
// It has no way to take caller randomness, so it is not deterministic: a seed,
// m or rnd is refused with UnsupportedCapabilityError (checks report skip),
// never silently ignored. It also has no context-string API.
import { createRequire } from 'node:module';
import { KEM_ALGS, SIG_ALGS, type KemAlg, type SigAlg } from './algorithms.ts';
import { assembleBackend } from './assemble.ts';
import { UnsupportedCapabilityError, type CryptoBackend, type Kem, type Signer } from './backend.ts';
import { packageVersion } from './version.ts';

interface PqcleanKem {
  keypair(): { publicKey: Buffer; privateKey: Buffer };
  generateKey(pk: Uint8Array): { key: Buffer; encryptedKey: Buffer };
  decryptKey(sk: Uint8Array, ct: Uint8Array): Buffer;
}
interface PqcleanSign {
  keypair(): { publicKey: Buffer; privateKey: Buffer };
  sign(sk: Uint8Array, msg: Uint8Array): Buffer;
  verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean;
}
interface PqcleanModule {
  KEM: new (alg: string) => PqcleanKem;
  Sign: new (alg: string) => PqcleanSign;
}

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

function refuse(name: string, what: string, given: Uint8Array | undefined): void {
  if (given !== undefined) throw new UnsupportedCapabilityError(name, what);
}

function pqcleanKem(name: string, alg: KemAlg, impl: PqcleanKem): Kem {
  return {
    alg,
    keygen(seed) {
      refuse(name, 'deterministic ML-KEM key generation from a seed', seed);
      const { publicKey, privateKey } = impl.keypair();
      return { ek: bytes(publicKey), dk: bytes(privateKey) };
    },
    encaps(ek, m) {
      refuse(name, 'deterministic encapsulation with a given m', m);
      const { key, encryptedKey } = impl.generateKey(ek);
      return { ct: bytes(encryptedKey), ss: bytes(key) };
    },
    decaps(dk, ct) {
      return bytes(impl.decryptKey(dk, ct));
    },
  };
}

function pqcleanSigner(name: string, alg: SigAlg, impl: PqcleanSign): Signer {
  return {
    alg,
    keygen(seed) {
      refuse(name, 'deterministic ML-DSA key generation from a seed', seed);
      const { publicKey, privateKey } = impl.keypair();
      return { pk: bytes(publicKey), sk: bytes(privateKey) };
    },
    sign(sk, msg, opts = {}) {
      refuse(name, 'caller-supplied signing randomness (rnd)', opts.rnd);
      if (opts.context?.length) throw new UnsupportedCapabilityError(name, 'ML-DSA context strings');
      return bytes(impl.sign(sk, msg));
    },
    verify(pk, msg, sig, opts = {}) {
      if (opts.context?.length) throw new UnsupportedCapabilityError(name, 'ML-DSA context strings');
      try {
        return impl.verify(pk, msg, sig);
      } catch {
        return false;
      }
    },
  };
}

export function createPqcleanBackend(): CryptoBackend {
  const name = 'pqclean';
  const mod = createRequire(import.meta.url)('pqclean') as PqcleanModule;
  const id = (alg: string) => alg.toLowerCase();
  return assembleBackend({
    name,
    version: `pqclean ${packageVersion('pqclean')}`,
    deterministic: false,
    kems: KEM_ALGS.map((a) => pqcleanKem(name, a, new mod.KEM(id(a)))),
    sigs: SIG_ALGS.map((a) => pqcleanSigner(name, a, new mod.Sign(id(a)))),
  });
}
