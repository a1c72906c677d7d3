// The X-Wing KEM of suite XWING-MLDSA65 (draft-connolly-cfrg-xwing-kem §5),
// specialised for ephemeral handshake use: X25519 runs on OpenSSL (see
// x25519.ts) and the initiator keeps the expanded decapsulation key from
// keygen instead of re-deriving it from the seed at decapsulation. Outputs
// are byte-identical to src/crypto/xwing.ts for the same seeds, which the
// test checks; only the cost differs.
import { sha3_256, shake256 } from '@noble/hashes/sha3.js';
import { randomBytes } from 'node:crypto';
import type { CryptoBackend } from '../crypto/backend.ts';
import { x25519PublicKey, x25519SharedSecret } from './x25519.ts';

const MLKEM_EK = 1184;
const MLKEM_CT = 1088;
const LABEL = new Uint8Array([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);

/** An expanded X-Wing decapsulation key; opaque to the handshake. */
export interface XWingSecret {
  seed: Uint8Array;
  dkM: Uint8Array;
  skX: Uint8Array;
  pkX: Uint8Array;
}

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

const combine = (ssM: Uint8Array, ssX: Uint8Array, ctX: Uint8Array, pkX: Uint8Array) => sha3_256(cat(ssM, ssX, ctX, pkX, LABEL));

export function xwingOps(backend: CryptoBackend) {
  const mlkem = backend.kem('ML-KEM-768');
  return {
    keygen(seed: Uint8Array = new Uint8Array(randomBytes(32))): { publicKey: Uint8Array; secret: XWingSecret } {
      const expanded = shake256(seed, { dkLen: 96 });
      const { ek, dk } = mlkem.keygen(expanded.subarray(0, 64));
      const skX = expanded.slice(64, 96);
      const pkX = x25519PublicKey(skX);
      return { publicKey: cat(ek, pkX), secret: { seed, dkM: dk, skX, pkX } };
    },
    encaps(pk: Uint8Array, eseed: Uint8Array = new Uint8Array(randomBytes(64))): { ciphertext: Uint8Array; secret: Uint8Array } {
      if (pk.length !== MLKEM_EK + 32) throw new Error(`X-Wing public key must be ${MLKEM_EK + 32} bytes`);
      const pkX = pk.subarray(MLKEM_EK);
      const ekX = eseed.subarray(32, 64);
      const ctX = x25519PublicKey(ekX);
      const ssX = x25519SharedSecret(ekX, pkX);
      const { ct, ss } = mlkem.encaps(pk.subarray(0, MLKEM_EK), eseed.subarray(0, 32));
      return { ciphertext: cat(ct, ctX), secret: combine(ss, ssX, ctX, pkX) };
    },
    decaps(sk: XWingSecret, ct: Uint8Array): Uint8Array {
      if (ct.length !== MLKEM_CT + 32) throw new Error(`X-Wing ciphertext must be ${MLKEM_CT + 32} bytes`);
      const ctX = ct.subarray(MLKEM_CT);
      const ssM = mlkem.decaps(sk.dkM, ct.subarray(0, MLKEM_CT));
      return combine(ssM, x25519SharedSecret(sk.skX, ctX), ctX, sk.pkX);
    },
  };
}
