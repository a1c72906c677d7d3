// Adapters for the HPKE KEM modules `@hpke/ml-kem` and
// `@hpke/hybridkem-x-wing` (draft-ietf-hpke-pq, draft-connolly-cfrg-xwing-kem).
// Their API is asynchronous and, as those drafts specify, a private key is
// the seed (64 bytes d || z for ML-KEM, 32 bytes for X-Wing), never the
// expanded FIPS 203 dk. So they cannot be a CryptoBackend (the known-answer
// files give expanded keys) and run as AsyncLibrary rows: pairwise ML-KEM
// interop, the X-Wing vectors and X-Wing interop. Encapsulation randomness
// is the HPKE `ekm` parameter (m for ML-KEM, eseed for X-Wing).
import { MlKem512, MlKem768, MlKem1024 } from '@hpke/ml-kem';
import { XWing } from '@hpke/hybridkem-x-wing';
import type { KemAlg } from '../algorithms.ts';
import { packageVersion } from '../version.ts';
import type { AsyncKem, AsyncLibrary } from './async-library.ts';

/** The modules' key objects are opaque to us: they only travel back into the same module. */
type CryptoKey = object;
interface CryptoKeyPair {
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}

interface HpkeKem {
  deriveKeyPair(ikm: Uint8Array): Promise<CryptoKeyPair>;
  generateKeyPair(): Promise<CryptoKeyPair>;
  generateKeyPairDerand?(sk: Uint8Array): Promise<CryptoKeyPair>;
  serializePublicKey(key: CryptoKey): Promise<ArrayBuffer>;
  deserializePublicKey(key: Uint8Array): Promise<CryptoKey>;
  deserializePrivateKey(key: Uint8Array): Promise<CryptoKey>;
  encap(p: { recipientPublicKey: CryptoKey; ekm?: Uint8Array }): Promise<{ sharedSecret: ArrayBuffer; enc: ArrayBuffer }>;
  decap(p: { recipientKey: CryptoKey; enc: Uint8Array }): Promise<ArrayBuffer>;
}

const u8 = (b: ArrayBuffer) => new Uint8Array(b);

function hpkeMlKem(alg: KemAlg, kem: HpkeKem): AsyncKem {
  return {
    alg,
    async keygen(seed) {
      // deriveKeyPair(d || z) is FIPS 203 KeyGen_internal in this module (private key = the seed).
      const pair = seed ? await kem.deriveKeyPair(seed) : await kem.generateKeyPair();
      return { ek: u8(await kem.serializePublicKey(pair.publicKey)), dk: pair.privateKey };
    },
    async encaps(ek, m) {
      const { enc, sharedSecret } = await kem.encap({ recipientPublicKey: await kem.deserializePublicKey(ek), ...(m ? { ekm: m } : {}) });
      return { ct: u8(enc), ss: u8(sharedSecret) };
    },
    decaps: async (dk, ct) => u8(await kem.decap({ recipientKey: dk as CryptoKey, enc: ct })),
  };
}

export function createHpkeMlKemLibrary(): AsyncLibrary {
  return {
    name: 'hpke-ml-kem',
    version: `@hpke/ml-kem ${packageVersion('@hpke/ml-kem')}`,
    deterministic: true,
    kems: [
      hpkeMlKem('ML-KEM-512', new MlKem512() as unknown as HpkeKem),
      hpkeMlKem('ML-KEM-768', new MlKem768() as unknown as HpkeKem),
      hpkeMlKem('ML-KEM-1024', new MlKem1024() as unknown as HpkeKem),
    ],
    sigs: [],
  };
}

export function createHpkeXWingLibrary(): AsyncLibrary {
  const xw = new XWing() as unknown as HpkeKem & { generateKeyPairDerand(sk: Uint8Array): Promise<CryptoKeyPair> };
  return {
    name: 'hpke-x-wing',
    version: `@hpke/hybridkem-x-wing ${packageVersion('@hpke/hybridkem-x-wing')}`,
    deterministic: true,
    kems: [],
    sigs: [],
    xwing: {
      async keygen(seed) {
        const pair = await xw.generateKeyPairDerand(seed);
        return { pk: u8(await xw.serializePublicKey(pair.publicKey)) };
      },
      async encaps(pk, eseed) {
        const { enc, sharedSecret } = await xw.encap({
          recipientPublicKey: await xw.deserializePublicKey(pk),
          ...(eseed ? { ekm: eseed } : {}),
        });
        return { ct: u8(enc), ss: u8(sharedSecret) };
      },
      decaps: async (seed, ct) => u8(await xw.decap({ recipientKey: await xw.deserializePrivateKey(seed), enc: ct })),
    },
  };
}
