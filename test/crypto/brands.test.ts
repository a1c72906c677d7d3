// The branded byte types: a role swap fails to compile (checked by tsc, which
// runs over test/ in `npm test`), while plain Uint8Array still fits anywhere.
import { describe, expect, it } from 'vitest';
import type { Kem, Signer } from '../../src/crypto/backend.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';

const noble = createNobleBackend();

describe('branded byte types', () => {
  it('reject swapped arguments at compile time and accept plain bytes', () => {
    const kem: Kem = noble.kem('ML-KEM-512');
    const { ek, dk } = kem.keygen(new Uint8Array(64));
    const { ct, ss } = kem.encaps(ek, new Uint8Array(32));
    // @ts-expect-error a ciphertext is not a decapsulation key
    expect(() => kem.decaps(ct, dk)).toThrow(/dk must be 1632 bytes/);
    // @ts-expect-error a decapsulation key is not an encapsulation key
    expect(() => kem.encaps(dk)).toThrow(/ek must be 800 bytes/);
    expect(kem.decaps(dk, ct)).toEqual(ss);
    // Plain Uint8Array (as read from a file) is accepted in every role.
    expect(kem.decaps(Uint8Array.from(dk), Uint8Array.from(ct))).toEqual(ss);

    const signer: Signer = noble.sig('ML-DSA-44');
    const { pk, sk } = signer.keygen(new Uint8Array(32));
    const sig = signer.sign(sk, new Uint8Array([1]));
    // @ts-expect-error liboqs-style order (message, signature, key) does not compile
    expect(signer.verify(new Uint8Array([1]), sig, pk)).toBe(false);
    // @ts-expect-error a public key cannot sign
    expect(() => signer.sign(pk, new Uint8Array([1]))).toThrow(/sk must be 2560 bytes/);
    expect(signer.verify(pk, new Uint8Array([1]), sig)).toBe(true);
  });
});
