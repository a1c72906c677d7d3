// The ecosystem adapters: each wraps its library faithfully (byte-for-byte
// agreement where the library is FIPS 203/204; deterministic calls through
// injected randomness that is restored at once), and declares honestly what
// it cannot do.
import { describe, expect, it } from 'vitest';
import { createCrystalsKyberBackend } from '../../src/crypto/adapters/crystals-kyber.ts';
import { createDilithiumCrystalsLibrary, dilithiumCrystalsSizes } from '../../src/crypto/adapters/dilithium-crystals.ts';
import { createHpkeMlKemLibrary, createHpkeXWingLibrary } from '../../src/crypto/adapters/hpke.ts';
import { createMlkemBackend } from '../../src/crypto/adapters/mlkem.ts';
import { nodePqcUnavailable } from '../../src/crypto/adapters/node-webcrypto.ts';
import { createPqcKyberBackend } from '../../src/crypto/adapters/pqc-kyber.ts';
import { createTheqrlMldsa87Backend } from '../../src/crypto/adapters/theqrl-mldsa87.ts';
import { KEM_ALGS, SIG_SIZES } from '../../src/crypto/algorithms.ts';
import { UnsupportedCapabilityError } from '../../src/crypto/backend.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { createXWing } from '../../src/crypto/xwing.ts';

const seq = (n: number, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
const noble = createNobleBackend();
const quiet = { logger: { info() {}, warn() {} } as never };

describe('mlkem', () => {
  it.each(KEM_ALGS)('%s: keys, ciphertexts, secrets and rejection secrets equal noble', async (alg) => {
    const k = (await createMlkemBackend()).kem(alg);
    const n = noble.kem(alg);
    const a = k.keygen(seq(64));
    expect(a).toEqual(n.keygen(seq(64)));
    const e = k.encaps(a.ek, seq(32, 7));
    expect(e).toEqual(n.encaps(a.ek, seq(32, 7)));
    const bad = Uint8Array.from(e.ct);
    bad[3] ^= 0x10;
    expect(k.decaps(a.dk, bad)).toEqual(n.decaps(a.dk, bad));
  });

  it('loads by name like noble', async () => {
    const b = await loadBackend('mlkem', quiet);
    expect(b.version).toMatch(/^mlkem 2\.7\.0$/);
    expect(b.sigs).toEqual([]);
  });
});

describe('Kyber round 3 (crystals-kyber, pqc-kyber)', () => {
  it('are deterministic through injected randomness, agree with each other byte for byte, and differ from ML-KEM', async () => {
    const before = globalThis.crypto.getRandomValues;
    const a = createCrystalsKyberBackend().kem('ML-KEM-768');
    const b = (await createPqcKyberBackend()).kem('ML-KEM-768');
    const ka = a.keygen(seq(64));
    expect(b.keygen(seq(64))).toEqual(ka);
    expect(a.keygen(seq(64))).toEqual(ka);
    const ea = a.encaps(ka.ek, seq(32, 1));
    expect(b.encaps(ka.ek, seq(32, 1))).toEqual(ea);
    expect(b.decaps(ka.dk, ea.ct)).toEqual(ea.ss);
    // Pre-FIPS: same seed, different key (G(d) vs FIPS 203's G(d || k)).
    expect(ka.ek).not.toEqual(noble.kem('ML-KEM-768').keygen(seq(64)).ek);
    expect(globalThis.crypto.getRandomValues).toBe(before);
  });

  it('refuse a seed the library would not draw exactly, and restore the random source anyway', () => {
    const before = globalThis.crypto.getRandomValues;
    const a = createCrystalsKyberBackend().kem('ML-KEM-512');
    expect(() => a.keygen(seq(32))).toThrow(/crystals-kyber drew 32 random bytes \(draw 2\); injected 0/);
    expect(globalThis.crypto.getRandomValues).toBe(before);
    const ok = a.encaps(a.keygen().ek);
    expect(ok.ss).toHaveLength(32);
  });
});

describe('@theqrl/mldsa87', () => {
  it('keys and signatures (rnd, rnd = 0, context) equal noble; verification is mutual', () => {
    const q = createTheqrlMldsa87Backend().sig('ML-DSA-87');
    const n = noble.sig('ML-DSA-87');
    const k = q.keygen(seq(32));
    expect(k).toEqual(n.keygen(seq(32)));
    const msg = seq(20);
    for (const rnd of [seq(32, 5), new Uint8Array(32)]) {
      const s = q.sign(k.sk, msg, { rnd, context: seq(4) });
      expect(s).toEqual(n.sign(k.sk, msg, { rnd, context: seq(4) }));
      expect(n.verify(k.pk, msg, s, { context: seq(4) })).toBe(true);
      expect(q.verify(k.pk, msg, s)).toBe(false);
    }
    expect(q.verify(k.pk, msg, q.sign(k.sk, msg))).toBe(true);
  });

  it('reports an rnd it cannot take as unsupported, not as a different signature', () => {
    const q = createTheqrlMldsa87Backend().sig('ML-DSA-87');
    const rnd = new Uint8Array(32);
    rnd[31] = 1;
    expect(() => q.sign(q.keygen(seq(32)).sk, seq(3), { rnd })).toThrow(UnsupportedCapabilityError);
  });
});

describe('@hpke/ml-kem and @hpke/hybridkem-x-wing', () => {
  it('ML-KEM from a d || z seed and ekm = m equals noble; decapsulates noble ciphertexts', async () => {
    const h = createHpkeMlKemLibrary().kems.find((k) => k.alg === 'ML-KEM-1024');
    const n = noble.kem('ML-KEM-1024');
    const mine = await h?.keygen(seq(64));
    const ref = n.keygen(seq(64));
    expect(mine?.ek).toEqual(ref.ek);
    expect(await h?.encaps(ref.ek, seq(32, 2))).toEqual(n.encaps(ref.ek, seq(32, 2)));
    const e = n.encaps(ref.ek);
    expect(await h?.decaps(mine?.dk, e.ct)).toEqual(e.ss);
  });

  it("X-Wing equals the harness's X-Wing for the same seed and eseed", async () => {
    const x = createHpkeXWingLibrary().xwing;
    const ours = createXWing(noble);
    expect((await x?.keygen(seq(32)))?.pk).toEqual(ours.keygen(seq(32)).pk);
    const pk = ours.keygen(seq(32)).pk;
    expect(await x?.encaps(pk, seq(64, 8))).toEqual(ours.encaps(pk, seq(64, 8)));
  });
});

describe('dilithium-crystals', () => {
  it('is Dilithium5 round 3 (not ML-DSA-87 sizes), round-trips, and refuses a wrong-length signature', async () => {
    expect(await dilithiumCrystalsSizes()).toEqual({ pk: 2592, sk: 4864, sig: 4597 });
    expect(SIG_SIZES['ML-DSA-87'].sk).not.toBe(4864);
    const d = createDilithiumCrystalsLibrary().sigs[0];
    const { pk, sk } = await d.keygen();
    const sig = await d.sign(sk, seq(9));
    expect(await d.verify(pk, seq(9), sig)).toBe(true);
    expect(await d.verify(pk, seq(10), sig)).toBe(false);
    expect(await d.verify(pk, seq(9), new Uint8Array(SIG_SIZES['ML-DSA-87'].sig))).toBe(false);
  });
});

describe("Node's own ML-KEM / ML-DSA", () => {
  it('is detected at run time: unavailable with the reason on this Node, available where the API and OpenSSL 3.5 are', () => {
    expect(nodePqcUnavailable({ ...process.versions, node: '20.20.2', openssl: '3.0.19' }, {})).toMatch(
      /^Node 20\.20\.2 with OpenSSL 3\.0\.19 has no ML-KEM\/ML-DSA; needs Node >= 24\.7/,
    );
    expect(nodePqcUnavailable({ ...process.versions, node: '24.7.0', openssl: '3.5.1' }, { encapsulate() {} })).toBeUndefined();
    expect(nodePqcUnavailable({ ...process.versions, node: '24.7.0', openssl: '3.0.2' }, { encapsulate() {} })).toMatch(/OpenSSL 3\.0\.2/);
  });
});
