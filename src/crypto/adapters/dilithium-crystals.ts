// Adapter for `dilithium-crystals` (Cyph's WebAssembly build of the
// CRYSTALS-Dilithium reference code, round 3, pre-FIPS 204). Asynchronous
// and without seeds or signing randomness, so an AsyncLibrary row. It builds
// Dilithium5, whose sizes differ from FIPS 204 ML-DSA-87 (see catalog.ts),
// so it takes the ML-DSA-87 slot only to be compared with it. The library
// copies inputs into fixed-size heap buffers without checking their length;
// a longer one overflows the WebAssembly heap (finding F5 in
// docs/findings.md), so this adapter refuses wrong lengths itself.
import { createRequire } from 'node:module';
import { packageVersion } from '../version.ts';
import type { AsyncLibrary } from './async-library.ts';

interface CyphDilithium {
  publicKeyBytes: Promise<number>;
  privateKeyBytes: Promise<number>;
  bytes: Promise<number>;
  keyPair(): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }>;
  signDetached(message: Uint8Array, privateKey: Uint8Array): Promise<Uint8Array>;
  verifyDetached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean>;
}

export async function dilithiumCrystalsSizes(): Promise<{ pk: number; sk: number; sig: number }> {
  const d = load();
  return { pk: await d.publicKeyBytes, sk: await d.privateKeyBytes, sig: await d.bytes };
}

function load(): CyphDilithium {
  return (createRequire(import.meta.url)('dilithium-crystals') as { dilithium: CyphDilithium }).dilithium;
}

export function createDilithiumCrystalsLibrary(): AsyncLibrary {
  const d = load();
  return {
    name: 'dilithium-crystals',
    version: `dilithium-crystals ${packageVersion('dilithium-crystals')}`,
    deterministic: false,
    kems: [],
    sigs: [
      {
        alg: 'ML-DSA-87',
        async keygen() {
          const { publicKey, privateKey } = await d.keyPair();
          return { pk: publicKey, sk: privateKey };
        },
        async sign(sk, msg) {
          const key = sk as Uint8Array;
          // The library copies the key into a heap buffer of its own size without checking (finding F5).
          if (key.length !== (await d.privateKeyBytes))
            throw new Error(`dilithium-crystals: secret key must be ${await d.privateKeyBytes} bytes, got ${key.length}`);
          return d.signDetached(msg, key);
        },
        async verify(pk, msg, sig) {
          // A longer signature or key overflows the library's heap buffer and kills the process
          // from a timer (finding F5); refuse it here, so the matrix can go on.
          if (sig.length !== (await d.bytes) || pk.length !== (await d.publicKeyBytes)) return false;
          try {
            return await d.verifyDetached(sig, msg, pk);
          } catch {
            return false;
          }
        },
      },
    ],
  };
}
