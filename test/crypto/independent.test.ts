// Comparing a backend with itself is not evidence: determinism, interop and
// implicit rejection compare with an independent implementation (liboqs for
// noble, noble otherwise), loaded when not selected; when none can be loaded
// the comparison is a skip naming why, never a pass.
import { describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { independentFor } from '../../src/crypto/independent.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import type { Check, CheckContext, Verdict } from '../../src/check/evidence.ts';
import { buildCryptoChecks } from '../../suites/crypto/index.ts';
import shiftedSeed from '../mutants/shifted-seed.ts';
import reversedPk from '../mutants/reversed-pk.ts';

const ctx: CheckContext = { seed: 7, profile: 'pr' };
const noble = createNobleBackend();

async function run(checks: Check[], id: string): Promise<Verdict> {
  const check = checks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id} among ${checks.map((c) => c.id).join(', ')}`);
  return check.run(ctx);
}

describe('independent comparison', () => {
  it('noble alone is compared with liboqs, loaded automatically, and the evidence names it', async () => {
    const checks = buildCryptoChecks([noble]);
    for (const id of ['crypto/determinism/ML-KEM-512', 'crypto/implicit-rejection/ML-KEM-512', 'crypto/determinism/ML-DSA-44']) {
      const v = await run(checks, id);
      expect(v.status, `${id}: ${v.reason}`).toBe('pass');
      expect(v.evidence.comparedWith).toMatch(/^liboqs \(@oqs\/liboqs-js \d/);
    }
    for (const id of ['crypto/interop/ML-KEM-512', 'crypto/interop/ML-DSA-44']) {
      const v = await run(checks, id);
      expect(v.status, `${id}: ${v.reason}`).toBe('pass');
      expect(v.evidence.peers).toEqual([expect.stringMatching(/^liboqs /)]);
    }
  });

  it('any other backend is compared with noble, never with itself', async () => {
    const m = await shiftedSeed();
    const v = await run(buildCryptoChecks([m]), 'crypto/determinism/ML-KEM-768');
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/vs noble/);
  });

  it('a defect in a backend named noble is caught by liboqs, which a noble-with-noble comparison would miss', async () => {
    const disguised: CryptoBackend = { ...(await shiftedSeed()), name: 'noble' };
    const v = await run(buildCryptoChecks([disguised]), 'crypto/determinism/ML-KEM-768');
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/vs liboqs/);
    expect(v.evidence.comparedWith).toMatch(/^liboqs/);
  });

  it('when the independent implementation cannot be loaded, determinism and interop skip naming why', async () => {
    const broken = (u: CryptoBackend, s: readonly CryptoBackend[]) =>
      independentFor(u, s, async () => {
        throw new Error('WebAssembly disabled');
      });
    const checks = buildCryptoChecks([noble], broken);
    for (const id of [
      'crypto/determinism/ML-KEM-512',
      'crypto/interop/ML-KEM-512',
      'crypto/determinism/ML-DSA-44',
      'crypto/interop/ML-DSA-44',
    ]) {
      const v = await run(checks, id);
      expect(v.status, id).toBe('skip');
      expect(v.evidence.unsupported, `${id} must count against the release gate`).toBeUndefined();
      expect(v.reason).toMatch(/liboqs could not be loaded: WebAssembly disabled/);
    }
    // J(z||c) is computed from the spec, so that half of the check still runs, and says so.
    const ir = await run(checks, 'crypto/implicit-rejection/ML-KEM-512');
    expect(ir.status).toBe('pass');
    expect(ir.evidence.comparedWith).toMatch(/^J\(z\|\|c\) only \(.*WebAssembly disabled/);
  });
});

describe('crypto/interop/ML-DSA-* can fail', () => {
  it('reversed-pk (a private public-key encoding) fails interop for every ML-DSA set and passes its own round trip', async () => {
    const m = await reversedPk();
    const checks = buildCryptoChecks([m]);
    for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']) {
      const v = await run(checks, `crypto/interop/${alg}`);
      expect(v.status, alg).toBe('fail');
      expect(v.reason).toMatch(/noble rejects a signature by mutant:reversed-pk/);
    }
    expect((await run(checks, 'crypto/roundtrip/ML-DSA-44')).status).toBe('pass');
    expect((await run(buildCryptoChecks([noble]), 'crypto/interop/ML-DSA-65')).status).toBe('pass');
  });
});
