// X25519 over Node's native OpenSSL implementation, with raw 32-byte keys.
// The pure-JS X25519 costs ~1.8 ms per operation here and X-Wing needs five
// per handshake, which alone would exceed the 10 ms latency target; OpenSSL
// takes ~0.07 ms. Keys enter as JWK because OpenSSL 3's DER decoders cost
// more than the scalar multiplication itself. RFC 7748 semantics are the
// same (clamping, u-coordinates); test/crypto/xwing.test.ts checks the
// outputs byte for byte against @noble/curves.
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes, type KeyObject } from 'node:crypto';

const b64url = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

/** Node's JWK import requires an `x` member but derives a private key from `d` alone. */
const PLACEHOLDER_X = Buffer.alloc(32).toString('base64url');

function privateKey(sk: Uint8Array): KeyObject {
  if (sk.length !== 32) throw new Error(`X25519 secret key must be 32 bytes, got ${sk.length}`);
  return createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: b64url(sk), x: PLACEHOLDER_X }, format: 'jwk' });
}

function publicKey(pk: Uint8Array): KeyObject {
  if (pk.length !== 32) throw new Error(`X25519 public key must be 32 bytes, got ${pk.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64url(pk) }, format: 'jwk' });
}

/** RFC 7748 §6.1: the public key is X25519(k, 9). */
const BASE_POINT = publicKey(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 9 : 0)));

export function x25519PublicKey(sk: Uint8Array): Uint8Array {
  return new Uint8Array(diffieHellman({ privateKey: privateKey(sk), publicKey: BASE_POINT }));
}

/** Throws for a low-order point (all-zero output), as RFC 7748 §6.1 allows. */
export function x25519SharedSecret(sk: Uint8Array, pk: Uint8Array): Uint8Array {
  return new Uint8Array(diffieHellman({ privateKey: privateKey(sk), publicKey: publicKey(pk) }));
}

export function x25519Keygen(secret?: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = secret ?? new Uint8Array(randomBytes(32));
  return { secretKey, publicKey: x25519PublicKey(secretKey) };
}
