// The key schedule: everything secret after the KEM is derived here with
// HKDF-SHA256, so the handshake and the channel share one definition.
//
//   prk          = HKDF-Extract(salt = transcript hash through the responder's
//                               signature, ikm = KEM shared secret)
//   confirm keys = Expand(prk, "r confirm" | "i confirm")
//   traffic      = Expand(prk, "i2r traffic" | "r2i traffic")   one per direction
//   session id   = Expand(prk, "session id", 16)
//   per epoch:     key = Expand(secret, "key", 32), iv = Expand(secret, "iv", 12)
//   key update:    secret' = Expand(secret, "key update")
//
// Every label is prefixed with the protocol name and version so no two
// derivations in this or a later version can collide.
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { timingSafeEqual } from 'node:crypto';

const PREFIX = 'pqc-mesh v1 ';

export function expandLabel(secret: Uint8Array, label: string, length = 32): Uint8Array {
  return expand(sha256, secret, new TextEncoder().encode(PREFIX + label), length);
}

export interface HandshakeSecrets {
  sessionId: Uint8Array;
  responderConfirm: Uint8Array;
  initiatorConfirm: Uint8Array;
  initiatorToResponder: Uint8Array;
  responderToInitiator: Uint8Array;
}

/**
 * How the two directions get their traffic secrets. It is a seam on purpose:
 * the nonce-reuse mutant replaces it with one that gives both directions the
 * same secret, and the keystream probe must notice.
 */
export type DirectionSecrets = (prk: Uint8Array) => { i2r: Uint8Array; r2i: Uint8Array };

export const separateDirectionSecrets: DirectionSecrets = (prk) => ({
  i2r: expandLabel(prk, 'i2r traffic'),
  r2i: expandLabel(prk, 'r2i traffic'),
});

/**
 * The extract step, where the transcript enters the key schedule (docs/mesh.md
 * §3.3.6). A seam: the unbound-kem-secret mutant drops the salt, so two
 * sessions with one KEM secret share their keys, and the transplant checks
 * must notice.
 */
export type ExtractKey = (sharedSecret: Uint8Array, transcriptHash: Uint8Array) => Uint8Array;

export const transcriptSaltedExtract: ExtractKey = (sharedSecret, transcriptHash) => extract(sha256, sharedSecret, transcriptHash);

export function deriveHandshakeSecrets(
  sharedSecret: Uint8Array,
  transcriptHash: Uint8Array,
  directions: DirectionSecrets,
  extractKey: ExtractKey = transcriptSaltedExtract,
): HandshakeSecrets {
  const prk = extractKey(sharedSecret, transcriptHash);
  const { i2r, r2i } = directions(prk);
  return {
    sessionId: expandLabel(prk, 'session id', 16),
    responderConfirm: expandLabel(prk, 'r confirm'),
    initiatorConfirm: expandLabel(prk, 'i confirm'),
    initiatorToResponder: i2r,
    responderToInitiator: r2i,
  };
}

export interface TrafficKey {
  key: Uint8Array;
  iv: Uint8Array;
}

export function trafficKey(secret: Uint8Array): TrafficKey {
  return { key: expandLabel(secret, 'key', 32), iv: expandLabel(secret, 'iv', 12) };
}

export function nextTrafficSecret(secret: Uint8Array): Uint8Array {
  return expandLabel(secret, 'key update');
}

export function confirmationMac(key: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
  return hmac(sha256, key, transcriptHash);
}

export function macsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
