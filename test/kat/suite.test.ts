// The kat suite over the shared vectors: stable ids, noble passes, liboqs
// never fails, pqclean's missing FIPS 203 input checks stay visible, missing
// vectors give a skip that names the directory and the fetch command.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createLiboqsBackend } from '../../src/crypto/liboqs.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { createPqcleanBackend } from '../../src/crypto/pqclean.ts';
import type { Profile, Check, Verdict } from '../../src/check/evidence.ts';
import { buildKatChecks, katSuite } from '../../suites/kat/index.ts';
import { ACVP_HASH_ALGS } from '../../vectors/acvp.ts';
import { loadVectorDir } from '../../vectors/discover.ts';
import { describeWithVectors, SHARED_VECTORS, ctx, explain, sharedVectors } from './setup.ts';

const noble = createNobleBackend();
let checks: Check[];

/** backend null: a check that belongs to no backend (kat/vectors, kat/load/...). */
async function run(id: string, backend: CryptoBackend | null = noble, list = checks, profile: Profile = 'pr'): Promise<Verdict> {
  const c = list.find((x) => x.id === id && x.backend === (backend?.name ?? undefined));
  if (!c) throw new Error(`no check ${id} for ${backend?.name}`);
  return c.run(ctx(profile));
}

beforeAll(async () => {
  checks = await katSuite.checks({ backends: [noble], profile: 'pr', seed: 1, vectorsDir: SHARED_VECTORS });
});

describeWithVectors('kat suite', () => {
  it('builds one check per (family, algorithm, function, backend) with stable ids', () => {
    const ids = checks.filter((c) => c.backend === 'noble').map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(15 + 9 + 12 + 9 + 1 + 6 + 6);
    for (const id of [
      'kat/acvp/ML-KEM-768/keyGen',
      'kat/acvp/ML-KEM-768/encapsulation',
      'kat/acvp/ML-KEM-768/decapsulation',
      'kat/acvp/ML-KEM-768/encapsulationKeyCheck',
      'kat/acvp/ML-KEM-768/decapsulationKeyCheck',
      'kat/acvp/ML-DSA-65/sigGen',
      'kat/acvp/ML-DSA-65/sigVer',
      'kat/wycheproof/ML-KEM-768/semi_expanded_decaps',
      'kat/wycheproof/ML-DSA-65/sign_noseed',
      'kat/xwing',
      'kat/drbg/ML-KEM-768',
      'kat/accumulated/ML-DSA-65',
    ])
      expect(ids).toContain(id);
    expect(checks.map((c) => c.id)).toContain('kat/vectors');
  });

  it('reports which files ran, with SHA-256 and pin status', async () => {
    const v = await run('kat/vectors', null);
    expect(v.status).toBe('pass');
    const files = v.evidence.files as { path: string; sha256: string; pin: string }[];
    expect(files).toContainEqual({
      path: 'xwing/test-vectors.json',
      sha256: '409efe197550b22985b4a0419418a0c5f2c2b193426c55bd998399ec8d3e614d',
      pin: 'match',
    });
    expect(files.map((f) => f.path)).not.toContain('acvp/ML-KEM-keyGen-FIPS203/internalProjection.json');
  });

  it('noble passes every ACVP ML-KEM function and names its files', async () => {
    for (const alg of ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024']) {
      for (const fn of ['keyGen', 'encapsulation', 'decapsulation', 'encapsulationKeyCheck', 'decapsulationKeyCheck']) {
        const v = await run(`kat/acvp/${alg}/${fn}`);
        expect(v.status, `${alg} ${fn}: ${explain(v)}`).toBe('pass');
      }
    }
    const dec = await run('kat/acvp/ML-KEM-768/decapsulation');
    expect(dec.evidence.cases).toEqual({ total: 30, passed: 30, failed: 0, skipped: 0 });
    expect((dec.evidence.files ?? []).map((f) => f.path)).toContain('acvp/ML-KEM-encapDecap-FIPS203-tr1/expectedResults.json');
  });

  it('noble passes ACVP ML-DSA keyGen and sigVer, and sigGen over every interface and all twelve pre-hashes', async () => {
    for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']) {
      for (const fn of ['keyGen', 'sigVer']) expect((await run(`kat/acvp/${alg}/${fn}`)).status).toBe('pass');
    }
    const full = await run('kat/acvp/ML-DSA-44/sigGen', noble, checks, 'release');
    expect(full.status, explain(full)).toBe('pass');
    expect(full.evidence.cases).toEqual({ total: 360, passed: 360, failed: 0, skipped: 0 });
    const labels = Object.keys(full.evidence.interfaces as object).join(' ');
    for (const h of ACVP_HASH_ALGS) expect(labels).toContain(`preHash/${h}/`);
    for (const l of ['pure/deterministic', 'pure/hedged', 'internal/deterministic', 'externalMu/hedged', 'seed-key', 'expanded-key'])
      expect(labels).toContain(l);
    // pr samples about one case in four but keeps every interface group.
    const sampled = await run('kat/acvp/ML-DSA-44/sigGen');
    expect(sampled.status, explain(sampled)).toBe('pass');
    expect(sampled.evidence.cases!.total).toBeLessThan(full.evidence.cases!.total / 2);
    expect(Object.keys(sampled.evidence.interfaces as object).sort()).toEqual(Object.keys(full.evidence.interfaces as object).sort());
    expect(sampled.evidence.sample).toMatchObject({ of: 360, stride: 4 });
  }, 90_000);

  it('noble passes every Wycheproof file found, with flags in the evidence', async () => {
    const found = checks.filter((c) => c.id.startsWith('kat/wycheproof/') && c.backend === 'noble');
    let ran = 0;
    for (const c of found) {
      const v = await c.run(ctx());
      if (v.status === 'skip') continue;
      ran++;
      expect(v.status, `${c.id}: ${explain(v)}`).toBe('pass');
    }
    expect(ran).toBe(7);
    const v = await run('kat/wycheproof/ML-KEM-768/encaps');
    expect(v.evidence.flags).toEqual({ ModulusOverflow: { total: 1, passed: 1, failed: 0, skipped: 0 } });
  });

  it('noble passes X-Wing, the DRBG known answers and the pr-size accumulated tests', async () => {
    const ids = [
      'kat/xwing',
      ...noble.kems.map((a) => `kat/drbg/${a}`),
      ...noble.sigs.map((a) => `kat/drbg/${a}`),
      ...noble.kems.map((a) => `kat/accumulated/${a}`),
      'kat/accumulated/ML-DSA-44',
    ];
    for (const id of ids) {
      const v = await run(id);
      expect(v.status, `${id}: ${explain(v)}`).toBe('pass');
    }
  }, 60_000);

  it('without vectors: file checks skip naming the directory and the fetch command; regenerated ones still run', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kat-none-')), 'missing');
    const none = await katSuite.checks({ backends: [noble], profile: 'pr', seed: 1, vectorsDir: dir });
    const v = await run('kat/acvp/ML-KEM-768/encapsulation', noble, none);
    expect(v.status).toBe('skip');
    expect(v.evidence.unsupported).toBeUndefined();
    expect(v.reason).toContain(dir);
    expect(v.reason).toContain(`pqc-harness vectors fetch --dir ${dir}`);
    expect((await run('kat/vectors', null, none)).status).toBe('skip');
    expect((await run('kat/drbg/ML-KEM-768', noble, none)).status).toBe('pass');
  });

  it('liboqs never fails; what its API cannot express is skipped with the reason', async () => {
    const liboqs = await createLiboqsBackend();
    const list = buildKatChecks([liboqs], await sharedVectors());
    for (const c of list.filter((x) => x.backend === 'liboqs' && !x.id.startsWith('kat/accumulated/ML-DSA'))) {
      const v = await c.run(ctx());
      expect(v.status, `${c.id}: ${explain(v)}`).not.toBe('fail');
    }
    const enc = await run('kat/acvp/ML-KEM-768/encapsulationKeyCheck', liboqs, list);
    expect(enc.status).toBe('pass');
  }, 60_000);

  it('pqclean: the missing FIPS 203 modulus check is a failing check with evidence', async () => {
    let pqclean: CryptoBackend;
    try {
      pqclean = createPqcleanBackend();
    } catch (e) {
      return expect.soft(String(e), 'pqclean native addon did not load').toBe('');
    }
    const list = buildKatChecks([pqclean], await loadVectorDir(SHARED_VECTORS));
    const acvp = await run('kat/acvp/ML-KEM-768/encapsulationKeyCheck', pqclean, list);
    expect(acvp.status).toBe('fail');
    expect(acvp.evidence.firstFailure).toMatchObject({ field: 'testPassed', expected: 'testPassed=false', actual: 'testPassed=true' });
    expect(acvp.evidence.firstFailure?.file).toMatch(/^acvp\/ML-KEM-encapDecap-FIPS203/);
    const wp = await run('kat/wycheproof/ML-KEM-768/encaps', pqclean, list);
    expect(wp.status).toBe('fail');
    expect(wp.evidence.flags).toMatchObject({ ModulusOverflow: { failed: 1 } });
    // What it can run still runs: decapsulation of given (dk, c) passes.
    expect((await run('kat/acvp/ML-KEM-768/decapsulation', pqclean, list)).status).toBe('pass');
    // What needs seeds is an "unsupported" skip, which the release gate tolerates.
    const kg = await run('kat/acvp/ML-KEM-768/keyGen', pqclean, list);
    expect(kg.status).toBe('skip');
    expect(kg.evidence.unsupported).toBe(true);
  });
});
