// Adapter for `crystals-kyber` (pure JS, CRYSTALS-Kyber round 3, pre-FIPS
// 203). It draws randomness through require('node:crypto').webcrypto
// .getRandomValues: 32 bytes d and 32 bytes z per key pair, 32 bytes m per
// encapsulation, so injecting them there makes it deterministic (inject.ts).
// Kyber round 3 is not ML-KEM: see ROUND3_KYBER in catalog.ts.
import { createRequire } from 'node:module';
import type { KemAlg } from '../algorithms.ts';
import { assembleBackend } from '../assemble.ts';
import type { CryptoBackend, Kem } from '../backend.ts';
import { packageVersion } from '../version.ts';
import { withRandomnessFrom } from './inject.ts';

type Bytes = Uint8Array | number[];
interface CrystalsKyber {
  [fn: string]: (...args: Bytes[]) => Bytes | Bytes[];
}

const require = createRequire(import.meta.url);
const webcrypto = (require('node:crypto') as { webcrypto: object }).webcrypto;
const u8 = (b: Bytes) => (b instanceof Uint8Array ? Uint8Array.from(b) : Uint8Array.from(b));

function kyberKem(lib: CrystalsKyber, alg: KemAlg, level: 512 | 768 | 1024): Kem {
  const inject = <T>(chunks: Uint8Array[] | undefined, op: () => T) =>
    chunks ? withRandomnessFrom('crystals-kyber', webcrypto, 'getRandomValues', chunks, op) : op();
  return {
    alg,
    keygen(seed) {
      // Round 3 draws d for the CPA key pair first, then z for implicit rejection.
      const [ek, dk] = inject(seed && [seed.subarray(0, 32), seed.subarray(32, 64)], () => lib[`KeyGen${level}`]()) as Bytes[];
      return { ek: u8(ek), dk: u8(dk) };
    },
    encaps(ek, m) {
      const [ct, ss] = inject(m && [m], () => lib[`Encrypt${level}`](Array.from(ek))) as Bytes[];
      return { ct: u8(ct), ss: u8(ss) };
    },
    decaps: (dk, ct) => u8(lib[`Decrypt${level}`](Array.from(ct), Array.from(dk)) as Bytes),
  };
}

export function createCrystalsKyberBackend(): CryptoBackend {
  const lib = require('crystals-kyber') as CrystalsKyber;
  return assembleBackend({
    name: 'crystals-kyber',
    version: `crystals-kyber ${packageVersion('crystals-kyber')}`,
    deterministic: true,
    edge: 'raw',
    kems: [kyberKem(lib, 'ML-KEM-512', 512), kyberKem(lib, 'ML-KEM-768', 768), kyberKem(lib, 'ML-KEM-1024', 1024)],
    sigs: [],
  });
}
