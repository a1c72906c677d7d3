// Wycheproof "acceptable" cases: accepting (with the given outputs) or
// refusing are the two documented outcomes and pass; a crash fails and is
// recorded with the tcId. No upstream ML-KEM/ML-DSA file has an acceptable
// case today, so the test marks the sample's unreduced-key cases acceptable.
import { expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { indexVectors, wycheproofKemCheck } from '../../suites/kat/index.ts';
import { loadVectorDir } from '../../vectors/discover.ts';
import { wycheproofDefect } from '../fixtures/vector-defects.ts';
import crashes from '../mutants/crashes-on-unreduced-ek.ts';
import noModulusCheck from '../mutants/mlkem-no-modulus-check.ts';
import { SHARED_VECTORS, ctx, describeWithVectors, explain } from './setup.ts';

describeWithVectors('Wycheproof acceptable cases', () => {
  let tcId = 0;
  const dir = () =>
    wycheproofDefect(SHARED_VECTORS, (f) => {
      // Every same-length invalid key (ModulusOverflow, "not reduced") becomes acceptable.
      const unreduced = f.testGroups.flatMap((g: any) => g.tests).filter((x: any) => x.result === 'invalid' && x.ek.length === 2 * 1184);
      for (const t of unreduced) t.result = 'acceptable';
      tcId = unreduced[0].tcId;
    });

  async function run(backend: CryptoBackend) {
    const d = dir();
    const check = wycheproofKemCheck(backend, 'ML-KEM-768', 'encaps', indexVectors(await loadVectorDir(d)));
    return check.run(ctx('pr', d));
  }

  it('refusing (noble) and accepting (a backend without the modulus check) both pass', async () => {
    const refused = await run(createNobleBackend());
    expect(refused.status, explain(refused)).toBe('pass');
    const accepted = await run(await noModulusCheck());
    expect(accepted.status, explain(accepted)).toBe('pass');
  });

  it('a crash on an acceptable case fails, naming the tcId and the crash', async () => {
    const v = await run(await crashes());
    expect(v.status, explain(v)).toBe('fail');
    expect(v.evidence.firstFailure).toMatchObject({ tcId, field: 'result', actual: 'crash' });
    expect(v.evidence.firstFailure?.message).toMatch(/acceptable case crashed the backend: TypeError: .*undefined/);
  });
});
