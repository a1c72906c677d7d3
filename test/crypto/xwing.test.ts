// X-Wing: the draft's vectors (when a vectors directory is configured), the
// expanded-key path agreeing with the plain one, and native X25519 agreeing
// with @noble/curves.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { x25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLiboqsBackend } from '../../src/crypto/liboqs.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { x25519PublicKey, x25519SharedSecret } from '../../src/crypto/x25519.ts';
import { createXWing } from '../../src/crypto/xwing.ts';

const vectorsFile = process.env.PQC_VECTORS_DIR ? join(process.env.PQC_VECTORS_DIR, 'xwing', 'test-vectors.json') : '';
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const rand = (n: number) => new Uint8Array(randomBytes(n));

describe('X-Wing', () => {
  it.skipIf(!existsSync(vectorsFile))('reproduces the draft vectors over noble and liboqs', async () => {
    const vectors = JSON.parse(readFileSync(vectorsFile, 'utf8')) as Array<Record<string, string>>;
    for (const backend of [createNobleBackend(), await createLiboqsBackend()]) {
      const xw = createXWing(backend);
      for (const v of vectors) {
        const { pk, sk } = xw.keygen(hex(v.seed));
        expect(Buffer.from(pk).toString('hex')).toBe(v.pk);
        const { ct, ss } = xw.encaps(pk, hex(v.eseed));
        expect(Buffer.from(ct).toString('hex')).toBe(v.ct);
        expect(Buffer.from(ss).toString('hex')).toBe(v.ss);
        expect(Buffer.from(xw.decaps(sk, ct)).toString('hex')).toBe(v.ss);
      }
    }
  });

  it('the expanded-key path gives the same bytes as the plain one', () => {
    const xw = createXWing(createNobleBackend());
    for (let i = 0; i < 5; i++) {
      const seed = rand(32);
      const a = xw.keygenExpanded(seed);
      expect(a.pk).toEqual(xw.keygen(seed).pk);
      const { ct, ss } = xw.encaps(a.pk, rand(64));
      expect(xw.decapsExpanded(a.expanded, ct)).toEqual(ss);
      expect(xw.decaps(a.sk, ct)).toEqual(ss);
    }
  });

  it('rejects wrong lengths with a message naming the field', () => {
    const xw = createXWing(createNobleBackend());
    expect(() => xw.keygen(rand(31))).toThrow(/secret key must be 32 bytes/);
    expect(() => xw.encaps(rand(1215))).toThrow(/public key must be 1216 bytes/);
  });

  it('native X25519 matches @noble/curves', () => {
    for (let i = 0; i < 5; i++) {
      const a = rand(32);
      const b = rand(32);
      expect(x25519PublicKey(a)).toEqual(x25519.getPublicKey(a));
      expect(x25519SharedSecret(a, x25519.getPublicKey(b))).toEqual(x25519.getSharedSecret(a, x25519.getPublicKey(b)));
    }
  });
});
