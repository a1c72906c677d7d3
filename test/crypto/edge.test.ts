// The length checks at the edge of every built-in backend: a wrong-length or
// non-byte input is refused before the library sees it, with an error naming
// the backend, algorithm, parameter and expected length from algorithms.ts;
// verification answers false instead of throwing.
import { describe, expect, it } from 'vitest';
import { KEM_SIZES, SIG_SIZES } from '../../src/crypto/algorithms.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { InvalidLengthError } from '../../src/crypto/edge.ts';
import { createLiboqsBackend } from '../../src/crypto/liboqs.ts';
import { createMockBackend } from '../../src/crypto/mock.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { createPqcleanBackend } from '../../src/crypto/pqclean.ts';

const FACTORIES: Record<string, () => CryptoBackend | Promise<CryptoBackend>> = {
  noble: createNobleBackend,
  liboqs: createLiboqsBackend,
  pqclean: createPqcleanBackend,
  mock: createMockBackend,
};
const zeros = (n: number) => new Uint8Array(n);

describe.each(Object.keys(FACTORIES))('the %s backend checks lengths at its edge', (name) => {
  it('ML-KEM-768: ek, dk, ct, seed and m', async () => {
    const b = await FACTORIES[name]();
    const kem = b.kem('ML-KEM-768');
    const sz = KEM_SIZES['ML-KEM-768'];
    const { ek, dk } = kem.keygen();
    const { ct } = kem.encaps(ek);
    expect(() => kem.encaps(ek.subarray(1))).toThrow(`${name} ML-KEM-768: ek must be ${sz.ek} bytes, got ${sz.ek - 1} bytes`);
    expect(() => kem.decaps(dk, ct.subarray(0, 10))).toThrow(`ct must be ${sz.ct} bytes, got 10 bytes`);
    expect(() => kem.decaps(zeros(sz.dk + 1), ct)).toThrow(`dk must be ${sz.dk} bytes, got ${sz.dk + 1} bytes`);
    expect(() => kem.keygen(zeros(32))).toThrow('seed (d || z) must be 64 bytes, got 32 bytes');
    expect(() => kem.encaps(ek, zeros(31))).toThrow('m must be 32 bytes, got 31 bytes');
    expect(() => kem.decaps('dk' as unknown as Uint8Array, ct)).toThrow(/dk must be 2400 bytes, got a string/);
    expect(() => kem.encaps(ek.subarray(1))).toThrow(InvalidLengthError);
  });

  it('ML-DSA-65: sk and rnd refused when signing; wrong pk or signature lengths verify as false', async () => {
    const b = await FACTORIES[name]();
    const s = b.sig('ML-DSA-65');
    const sz = SIG_SIZES['ML-DSA-65'];
    const { pk, sk } = s.keygen();
    const msg = new Uint8Array([1, 2, 3]);
    const sig = s.sign(sk, msg);
    expect(() => s.sign(sk.subarray(1), msg)).toThrow(`${name} ML-DSA-65: sk must be ${sz.sk} bytes, got ${sz.sk - 1} bytes`);
    expect(() => s.sign(sk, msg, { rnd: zeros(16) })).toThrow('rnd must be 32 bytes, got 16 bytes');
    expect(() => s.sign(sk, msg, { context: zeros(256) })).toThrow(/context must be a Uint8Array of at most 255 bytes/);
    expect(() => s.keygen(zeros(33))).toThrow('seed (xi) must be 32 bytes, got 33 bytes');
    expect(s.verify(pk, msg, sig.subarray(1))).toBe(false);
    expect(s.verify(pk.subarray(1), msg, sig)).toBe(false);
    expect(s.verify(pk, msg, sig, { context: zeros(256) })).toBe(false);
    expect(s.verify(pk, msg, sig)).toBe(true);
  });
});

describe('the optional FIPS 204 internal interfaces are checked too', () => {
  it('noble signMu wants a 64-byte mu and a 32-byte rnd', () => {
    const s = createNobleBackend().sig('ML-DSA-44');
    const { sk } = s.keygen(zeros(32));
    expect(() => s.signMu?.(sk, zeros(63), zeros(32))).toThrow('mu must be 64 bytes, got 63 bytes');
    expect(() => s.signInternal?.(sk, zeros(5), zeros(31))).toThrow('rnd must be 32 bytes, got 31 bytes');
  });
});
