// Each issue-3 mutant makes the named known-answer check fail, in the profile
// where it should, while noble passes the same check. Checks run in-process.
import { expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import type { Check, Profile } from '../../src/check/evidence.ts';
import {
  accumulatedCheck,
  acvpDsaCheck,
  acvpKemCheck,
  drbgCheck,
  indexVectors,
  wycheproofDsaCheck,
  wycheproofKemCheck,
  xwingCheck,
  type KatIndex,
} from '../../suites/kat/index.ts';
import { describeWithVectors, ctx, explain, sharedVectors } from '../kat/setup.ts';
import { createRefMlKem } from './mlkem-ref.ts';
import draftKeygen from './mlkem-draft-keygen.ts';
import noHashCheck from './mlkem-no-hash-check.ts';
import noModulusCheck from './mlkem-no-modulus-check.ts';
import rareDecaps from './mlkem-rare-decaps.ts';
import strcmpDecaps from './mlkem-strcmp-decaps.ts';

type Build = (b: CryptoBackend, idx: KatIndex) => Check;

const noble = createNobleBackend();
let idx: KatIndex;

async function expectCaught(mutant: CryptoBackend, build: Build, profile: Profile = 'pr') {
  idx ??= indexVectors(await sharedVectors());
  const honest = await build(noble, idx).run(ctx(profile));
  expect(honest.status, explain(honest)).toBe('pass');
  const check = build(mutant, idx);
  const v = await check.run(ctx(profile));
  expect(v.status, `${check.id} on ${mutant.name}: ${explain(v)}`).toBe('fail');
  return { id: check.id, v };
}

describeWithVectors('issue-3 mutants are caught by name', () => {
  it('the reference ML-KEM used by the mutants matches noble byte for byte with default options', () => {
    for (const alg of noble.kems) {
      const ref = createRefMlKem(alg);
      const seed = Uint8Array.from({ length: 64 }, (_, i) => i * 13);
      const a = ref.keygen(seed);
      const b = noble.kem(alg).keygen(seed);
      expect(a).toEqual(b);
      const m = seed.subarray(32);
      expect(ref.encaps(a.ek, m)).toEqual(noble.kem(alg).encaps(b.ek, m));
      const bad = ref.encaps(a.ek, m).ct.map((x, i) => (i === 7 ? x ^ 1 : x));
      expect(ref.decaps(a.dk, bad)).toEqual(noble.kem(alg).decaps(b.dk, bad));
    }
  });

  it('mlkem-draft-keygen (G(d) instead of G(d || k)) fails ACVP keyGen, Wycheproof keygen_seed and the DRBG KAT', async () => {
    const m = await draftKeygen();
    const { v } = await expectCaught(m, (b, i) => acvpKemCheck(b, 'ML-KEM-768', 'keyGen', i));
    expect(v.evidence.firstFailure).toMatchObject({ field: 'ek', offset: 0, file: 'acvp/ML-KEM-keyGen-FIPS203/expectedResults.json' });
    await expectCaught(m, (b, i) => wycheproofKemCheck(b, 'ML-KEM-768', 'keygen_seed', i));
    await expectCaught(m, (b) => drbgCheck(b, 'ML-KEM-512'));
  });

  it('mlkem-strcmp-decaps fails Wycheproof ML-KEM-768 test on the Strcmp vector', async () => {
    const { v } = await expectCaught(await strcmpDecaps(), (b, i) => wycheproofKemCheck(b, 'ML-KEM-768', 'test', i));
    expect(v.evidence.firstFailure).toMatchObject({ field: 'K', tcId: 1 });
    expect(v.evidence.flags).toMatchObject({ Strcmp: { failed: 1 } });
  });

  it('mlkem-no-modulus-check fails ACVP encapsulationKeyCheck and Wycheproof encaps (ModulusOverflow)', async () => {
    const m = await noModulusCheck();
    const { v } = await expectCaught(m, (b, i) => acvpKemCheck(b, 'ML-KEM-768', 'encapsulationKeyCheck', i));
    expect(v.evidence.firstFailure).toMatchObject({ field: 'testPassed', expected: 'testPassed=false', actual: 'testPassed=true' });
    const w = await expectCaught(m, (b, i) => wycheproofKemCheck(b, 'ML-KEM-768', 'encaps', i));
    expect(w.v.evidence.flags).toMatchObject({ ModulusOverflow: { failed: 1 } });
  });

  it('mlkem-no-hash-check fails ACVP decapsulationKeyCheck and Wycheproof semi_expanded_decaps', async () => {
    const m = await noHashCheck();
    await expectCaught(m, (b, i) => acvpKemCheck(b, 'ML-KEM-1024', 'decapsulationKeyCheck', i));
    const w = await expectCaught(m, (b, i) => wycheproofKemCheck(b, 'ML-KEM-768', 'semi_expanded_decaps', i));
    expect(w.v.evidence.flags).toMatchObject({ InvalidDecapsulationKey: { failed: 1 } });
  });

  it('mlkem-rare-decaps (1 in 4096) slips through pr but fails accumulated ML-KEM-512 in release', async () => {
    const m = await rareDecaps();
    const pr = await accumulatedCheck(m, 'ML-KEM-512').run(ctx('pr'));
    expect(pr.status, 'too rare for 100 iterations: documents why release exists').toBe('pass');
    const release = await accumulatedCheck(m, 'ML-KEM-512').run(ctx('release'));
    expect(release.status, explain(release)).toBe('fail');
    expect(release.evidence.firstFailure).toMatchObject({ field: 'k', case: 'iteration 3381' });
  }, 120_000);
});

// The foundation mutants (issue 1) also prove that every other kat check family can fail.
describeWithVectors('every known-answer check family can fail', () => {
  const cases: [string, string, Build][] = [
    ['ignores-seed', 'kat/acvp/ML-DSA-44/keyGen', (b, i) => acvpDsaCheck(b, 'ML-DSA-44', 'keyGen', i)],
    ['ignores-context', 'kat/acvp/ML-DSA-44/sigGen', (b, i) => acvpDsaCheck(b, 'ML-DSA-44', 'sigGen', i)],
    ['verify-accepts-all', 'kat/acvp/ML-DSA-65/sigVer', (b, i) => acvpDsaCheck(b, 'ML-DSA-65', 'sigVer', i)],
    ['flipped-ss-bit', 'kat/acvp/ML-KEM-512/encapsulation', (b, i) => acvpKemCheck(b, 'ML-KEM-512', 'encapsulation', i)],
    ['rejection-without-secret', 'kat/acvp/ML-KEM-768/decapsulation', (b, i) => acvpKemCheck(b, 'ML-KEM-768', 'decapsulation', i)],
    ['ignores-context', 'kat/wycheproof/ML-DSA-65/sign_noseed', (b, i) => wycheproofDsaCheck(b, 'ML-DSA-65', 'sign_noseed', i)],
    ['ignores-seed', 'kat/wycheproof/ML-DSA-65/sign_seed', (b, i) => wycheproofDsaCheck(b, 'ML-DSA-65', 'sign_seed', i)],
    ['verify-accepts-all', 'kat/wycheproof/ML-DSA-65/verify', (b, i) => wycheproofDsaCheck(b, 'ML-DSA-65', 'verify', i)],
    ['flipped-ss-bit', 'kat/xwing', (b, i) => xwingCheck(b, i)],
    ['ignores-rnd', 'kat/drbg/ML-DSA-44', (b) => drbgCheck(b, 'ML-DSA-44')],
    ['ignores-rnd', 'kat/accumulated/ML-DSA-44', (b) => accumulatedCheck(b, 'ML-DSA-44')],
  ];
  it.each(cases)(
    '%s fails %s',
    async (mutantName, id, build) => {
      const mutant = (await import(`./${mutantName}.ts`)).default as () => Promise<CryptoBackend>;
      idx ??= indexVectors(await sharedVectors());
      const check = build(await mutant(), idx);
      expect(check.id).toBe(id);
      const v = await check.run(ctx('pr'));
      expect(v.status, explain(v)).toBe('fail');
    },
    60_000,
  );
});
