// The handshake's X-Wing (native X25519, pre-expanded keys) must agree byte
// for byte with the foundation's X-Wing, which is checked against the draft's
// vectors; the classical suite's X25519 must agree with @noble/curves.
import { x25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { createXWing } from '../../src/crypto/xwing.ts';
import { x25519PublicKey, x25519SharedSecret } from '../../src/mesh/x25519.ts';
import { xwingOps } from '../../src/mesh/xwing-kem.ts';

describe('handshake X-Wing', () => {
  const backend = createNobleBackend();
  const reference = createXWing(backend);
  const fast = xwingOps(backend);

  it('matches src/crypto/xwing.ts for the same seeds', () => {
    for (let i = 0; i < 5; i++) {
      const seed = new Uint8Array(randomBytes(32));
      const eseed = new Uint8Array(randomBytes(64));
      const a = reference.keygen(seed);
      const b = fast.keygen(seed);
      expect(b.publicKey).toEqual(a.pk);
      const ea = reference.encaps(a.pk, eseed);
      const eb = fast.encaps(b.publicKey, eseed);
      expect(eb.ciphertext).toEqual(ea.ct);
      expect(eb.secret).toEqual(ea.ss);
      expect(fast.decaps(b.secret, ea.ct)).toEqual(reference.decaps(a.sk, ea.ct));
    }
  });

  it('native X25519 matches @noble/curves', () => {
    for (let i = 0; i < 5; i++) {
      const a = new Uint8Array(randomBytes(32));
      const b = new Uint8Array(randomBytes(32));
      expect(x25519PublicKey(a)).toEqual(x25519.getPublicKey(a));
      expect(x25519SharedSecret(a, x25519.getPublicKey(b))).toEqual(x25519.getSharedSecret(a, x25519.getPublicKey(b)));
    }
  });
});
