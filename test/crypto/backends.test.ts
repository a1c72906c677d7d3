// Backend adapters: byte-for-byte agreement where inputs can be fixed, the
// liboqs randomness injection, and pqclean refusing what it cannot honour.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { UnsupportedCapabilityError } from '../../src/crypto/backend.ts';
import { createLiboqsBackend, withInjectedRandomness } from '../../src/crypto/liboqs.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { createPqcleanBackend } from '../../src/crypto/pqclean.ts';
import { createMockBackend } from '../../src/crypto/mock.ts';
import { KEM_ALGS, SIG_ALGS } from '../../src/crypto/algorithms.ts';

const nodeCrypto = createRequire(import.meta.url)('node:crypto') as { randomFillSync: unknown };
const seq = (n: number, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);

describe('liboqs', () => {
  it.each(KEM_ALGS)('%s matches noble byte for byte with injected seed and m', async (alg) => {
    const [oqs, noble] = [await createLiboqsBackend(), createNobleBackend()];
    const a = oqs.kem(alg).keygen(seq(64));
    const b = noble.kem(alg).keygen(seq(64));
    expect(a.ek).toEqual(b.ek);
    expect(a.dk).toEqual(b.dk);
    expect(oqs.kem(alg).encaps(a.ek, seq(32, 9))).toEqual(noble.kem(alg).encaps(b.ek, seq(32, 9)));
  });

  it.each(SIG_ALGS)('%s matches noble byte for byte with injected seed and rnd', async (alg) => {
    const [oqs, noble] = [await createLiboqsBackend(), createNobleBackend()];
    const a = oqs.sig(alg).keygen(seq(32));
    const b = noble.sig(alg).keygen(seq(32));
    expect(a.pk).toEqual(b.pk);
    const msg = seq(40);
    expect(oqs.sig(alg).sign(a.sk, msg, { rnd: seq(32, 3) })).toEqual(noble.sig(alg).sign(b.sk, msg, { rnd: seq(32, 3) }));
  });

  it('restores randomFillSync after every call, also when the call throws', async () => {
    const before = nodeCrypto.randomFillSync;
    const oqs = await createLiboqsBackend();
    oqs.kem('ML-KEM-768').keygen(seq(64));
    expect(nodeCrypto.randomFillSync).toBe(before);
    expect(() => withInjectedRandomness([seq(5)], () => oqs.kem('ML-KEM-768').keygen())).toThrow(/asked for 64 random bytes/);
    expect(nodeCrypto.randomFillSync).toBe(before);
  });

  it('stays deterministic under concurrent async use', async () => {
    const oqs = await createLiboqsBackend();
    const kem = oqs.kem('ML-KEM-512');
    const jobs = Array.from({ length: 40 }, (_, i) =>
      (async () => {
        await new Promise((r) => setTimeout(r, i % 3));
        const seeded = kem.keygen(seq(64, i));
        kem.keygen(); // unseeded calls interleaved must not consume injected bytes
        return seeded.ek;
      })(),
    );
    const eks = await Promise.all(jobs);
    for (const [i, ek] of eks.entries()) expect(ek).toEqual(kem.keygen(seq(64, i)).ek);
  });

  it('refuses context strings instead of ignoring them', async () => {
    const s = (await createLiboqsBackend()).sig('ML-DSA-44');
    const { sk } = s.keygen(seq(32));
    expect(() => s.sign(sk, seq(3), { context: seq(2) })).toThrow(UnsupportedCapabilityError);
  });
});

describe('pqclean', () => {
  it('is not deterministic and refuses seeds, m and rnd', () => {
    const b = createPqcleanBackend();
    expect(b.deterministic).toBe(false);
    expect(() => b.kem('ML-KEM-768').keygen(seq(64))).toThrow(UnsupportedCapabilityError);
    const { ek } = b.kem('ML-KEM-768').keygen();
    expect(() => b.kem('ML-KEM-768').encaps(ek, seq(32))).toThrow(UnsupportedCapabilityError);
    const { sk } = b.sig('ML-DSA-65').keygen();
    expect(() => b.sig('ML-DSA-65').sign(sk, seq(3), { rnd: seq(32) })).toThrow(UnsupportedCapabilityError);
  });

  it('interoperates with noble', () => {
    const [p, n] = [createPqcleanBackend(), createNobleBackend()];
    const { ek, dk } = p.kem('ML-KEM-768').keygen();
    const { ct, ss } = n.kem('ML-KEM-768').encaps(ek);
    expect(p.kem('ML-KEM-768').decaps(dk, ct)).toEqual(ss);
  });
});

describe('mock', () => {
  it('is marked insecure and its keys give the secret away', () => {
    const m = createMockBackend();
    expect(m.insecure).toBe(true);
    const { ek, dk } = m.kem('ML-KEM-768').keygen(seq(64));
    expect(ek.subarray(0, 32)).toEqual(dk.subarray(0, 32));
  });
});
