// Cipher suites of mesh protocol v1: which KEM makes the shared secret and
// which signature signs the transcript. Each suite is bound to a backend at
// node start, so the handshake code never names an algorithm.
import { ed25519 } from '@noble/curves/ed25519.js';
import { KEM_SIZES, XWING_SIZES } from '../../crypto/algorithms.ts';
import type { CryptoBackend } from '../../crypto/backend.ts';
import { MeshError } from './errors.ts';
import { x25519Keygen, x25519SharedSecret } from '../../crypto/x25519.ts';
import { createXWing, type XWingExpandedKey } from '../../crypto/xwing.ts';
import { systemDraw, type DrawRandom } from './randomness.ts';

export const CIPHER_SUITE_NAMES = ['XWING-MLDSA65', 'MLKEM1024-MLDSA87', 'X25519-ED25519'] as const;
export type CipherSuiteName = (typeof CIPHER_SUITE_NAMES)[number];

/** Wire ids; 0 is never assigned so a zeroed byte cannot name a suite. */
export const CIPHER_SUITE_IDS: Readonly<Record<CipherSuiteName, number>> = {
  'XWING-MLDSA65': 1,
  'MLKEM1024-MLDSA87': 2,
  'X25519-ED25519': 3,
};

export function cipherSuiteName(id: number): CipherSuiteName | undefined {
  return CIPHER_SUITE_NAMES.find((n) => CIPHER_SUITE_IDS[n] === id);
}

/** Identity key algorithms a certificate can carry. */
export const IDENTITY_ALGS = ['ML-DSA-65', 'ML-DSA-87', 'Ed25519'] as const;
export type IdentityAlg = (typeof IDENTITY_ALGS)[number];

/** An ephemeral decapsulation key: opaque, so a KEM may keep it pre-expanded. */
export type EphemeralSecret = { readonly kem: string; readonly key: unknown };

/**
 * Keygen and encaps take their randomness from `draw` (default: the system
 * source), so a failing source reaches them (docs/mesh.md §3.7). A backend
 * that cannot take caller randomness (not `deterministic`) draws its own.
 */
export interface EphemeralKem {
  readonly shareBytes: number;
  readonly ciphertextBytes: number;
  keygen(draw?: DrawRandom): { publicKey: Uint8Array; secretKey: EphemeralSecret };
  encaps(publicKey: Uint8Array, draw?: DrawRandom): { ciphertext: Uint8Array; secret: Uint8Array };
  decaps(secretKey: EphemeralSecret, ciphertext: Uint8Array): Uint8Array;
}

export interface IdentitySigner {
  readonly alg: IdentityAlg;
  /** With a 32-byte seed, deterministic (FIPS 204 Alg. 6 KeyGen_internal; Ed25519 from its secret seed). */
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  /** ML-DSA signs hedged with 32 bytes from `draw` (FIPS 204 rnd); Ed25519 is deterministic and draws nothing. */
  sign(secretKey: Uint8Array, message: Uint8Array, draw?: DrawRandom): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export interface CipherSuite {
  readonly name: CipherSuiteName;
  readonly id: number;
  /** Classical suites are only offered or accepted while fallback is active. */
  readonly classical: boolean;
  readonly kem: EphemeralKem;
  readonly signer: IdentitySigner;
}

export function identitySigner(backend: CryptoBackend, alg: IdentityAlg): IdentitySigner {
  if (alg === 'Ed25519') {
    return {
      alg,
      keygen: (seed) => ed25519.keygen(seed),
      sign: (sk, msg) => ed25519.sign(msg, sk),
      verify(pk, msg, sig) {
        try {
          return ed25519.verify(sig, msg, pk);
        } catch {
          return false;
        }
      },
    };
  }
  const s = backend.sig(alg);
  return {
    alg,
    keygen(seed) {
      const { pk, sk } = s.keygen(seed);
      return { publicKey: pk, secretKey: sk };
    },
    sign: (sk, msg, draw = systemDraw) => (backend.deterministic ? s.sign(sk, msg, { rnd: draw(32, 'signing') }) : s.sign(sk, msg)),
    verify: (pk, msg, sig) => s.verify(pk, msg, sig),
  };
}

/** Any KEM failure on peer-supplied bytes is a malformed message, not a crash; a refused draw keeps its own reason. */
function guarded<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MeshError) throw e;
    throw new MeshError('bad_frame', `${what}: ${(e as Error).message}`);
  }
}

function xwingKem(backend: CryptoBackend): EphemeralKem {
  const xw = createXWing(backend);
  return {
    shareBytes: XWING_SIZES.pk,
    ciphertextBytes: XWING_SIZES.ct,
    keygen: (draw = systemDraw) => {
      const { pk, expanded } = xw.keygenExpanded(draw(XWING_SIZES.sk, 'keygen'));
      return { publicKey: pk, secretKey: { kem: 'X-Wing', key: expanded } };
    },
    // The draw comes first: a share of the wrong length is refused either way, but no randomness is wasted on it.
    encaps: (pk, draw = systemDraw) =>
      guarded('X-Wing encapsulation', () => {
        const { ct, ss } = xw.encaps(pk, draw(XWING_SIZES.eseed, 'encaps'));
        return { ciphertext: ct, secret: ss };
      }),
    decaps: (sk, ct) => guarded('X-Wing decapsulation', () => xw.decapsExpanded(sk.key as XWingExpandedKey, ct)),
  };
}

function mlkem1024Kem(backend: CryptoBackend): EphemeralKem {
  const k = backend.kem('ML-KEM-1024');
  return {
    shareBytes: KEM_SIZES['ML-KEM-1024'].ek,
    ciphertextBytes: KEM_SIZES['ML-KEM-1024'].ct,
    keygen: (draw = systemDraw) => {
      // FIPS 203 Alg. 16: d || z, 64 bytes
      const { ek, dk } = backend.deterministic ? k.keygen(draw(64, 'keygen')) : k.keygen();
      return { publicKey: ek, secretKey: { kem: 'ML-KEM-1024', key: dk } };
    },
    encaps: (pk, draw = systemDraw) =>
      guarded('ML-KEM-1024 encapsulation', () => {
        // FIPS 203 Alg. 17: m, 32 bytes
        const { ct, ss } = backend.deterministic ? k.encaps(pk, draw(32, 'encaps')) : k.encaps(pk);
        return { ciphertext: ct, secret: ss };
      }),
    decaps: (sk, ct) => guarded('ML-KEM-1024 decapsulation', () => k.decaps(sk.key as Uint8Array, ct)),
  };
}

/** Ephemeral-ephemeral X25519 dressed as a KEM: the "ciphertext" is the responder's public key. */
function x25519Kem(): EphemeralKem {
  return {
    shareBytes: 32,
    ciphertextBytes: 32,
    keygen: (draw = systemDraw) => {
      const { publicKey, secretKey } = x25519Keygen(draw(32, 'keygen'));
      return { publicKey, secretKey: { kem: 'X25519', key: secretKey } };
    },
    encaps: (pk, draw = systemDraw) =>
      guarded('X25519', () => {
        const eph = x25519Keygen(draw(32, 'encaps'));
        return { ciphertext: eph.publicKey, secret: x25519SharedSecret(eph.secretKey, pk) };
      }),
    decaps: (sk, ct) => guarded('X25519', () => x25519SharedSecret(sk.key as Uint8Array, ct)),
  };
}

/** The suites this backend can run, by name. */
export function bindCipherSuites(backend: CryptoBackend): Map<CipherSuiteName, CipherSuite> {
  const suites = new Map<CipherSuiteName, CipherSuite>();
  const add = (name: CipherSuiteName, classical: boolean, kem: () => EphemeralKem, sig: IdentityAlg) => {
    try {
      suites.set(name, { name, id: CIPHER_SUITE_IDS[name], classical, kem: kem(), signer: identitySigner(backend, sig) });
    } catch {
      // the backend lacks an algorithm of this suite: the suite is simply unavailable
    }
  };
  add('XWING-MLDSA65', false, () => xwingKem(backend), 'ML-DSA-65');
  add('MLKEM1024-MLDSA87', false, () => mlkem1024Kem(backend), 'ML-DSA-87');
  add('X25519-ED25519', true, () => x25519Kem(), 'Ed25519');
  return suites;
}
