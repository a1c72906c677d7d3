// Every matrix family can turn to fail: one matrix run over noble (which
// must pass each family) and one mutant row per family (which must fail it,
// reported as an unexpected failure since no finding pins it). Each row runs
// only its target families on ML-KEM-768 / ML-DSA-65 and X-Wing, to stay fast.
import { describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../src/crypto/adapters/catalog.ts';
import { liftBackend, type AsyncLibrary } from '../../src/crypto/adapters/async-library.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import type { Check } from '../../src/check/evidence.ts';
import { pairOf } from '../../src/harness/matrix/cells.ts';
import { FAMILIES, algOf, familyOf } from '../../src/harness/matrix/families.ts';
import { runMatrix } from '../../src/harness/matrix/run.ts';
import { HAVE_VECTORS, SHARED_VECTORS } from '../kat/setup.ts';
import hpkeFlippedSs from '../mutants/ecosystem/hpke-flipped-ss.ts';
import xwingWrongLabel from '../mutants/ecosystem/xwing-wrong-label.ts';

/** mutant module (test/mutants/<name>.ts) -> the families it must fail. */
const BACKEND_MUTANTS: Record<string, string[]> = {
  'mlkem-draft-keygen': ['acvp-keygen', 'drbg', 'accumulated'],
  'flipped-ss-bit': ['acvp-encaps', 'roundtrip'],
  'rejection-without-secret': ['acvp-decaps', 'implicit-rejection'],
  'mlkem-no-modulus-check': ['acvp-key-checks', 'wycheproof'],
  'truncated-signature': ['acvp-siggen', 'wycheproof-signing-keys'],
  'verify-accepts-all': ['acvp-sigver'],
  'shifted-seed': ['determinism'],
  'reversed-ek': ['interop', 'xwing'],
  'ignores-context': ['context'],
};
const ASYNC_MUTANTS: Record<string, { make: () => AsyncLibrary; families: string[] }> = {
  'hpke-flipped-ss': { make: hpkeFlippedSs, families: ['interop'] },
  'xwing-wrong-label': { make: xwingWrongLabel, families: ['xwing'] },
};

const rowOf = (backend: CryptoBackend): LibraryEntry => ({
  name: backend.name,
  source: 'test/mutants',
  load: async () => ({ backend, library: liftBackend(backend) }),
});
const asyncRow = (library: AsyncLibrary): LibraryEntry => ({ name: library.name, source: 'test/mutants', load: async () => ({ library }) });

// In CI a missing vectors directory fails (the known-answer families cannot run) instead of skipping.
describe.skipIf(!HAVE_VECTORS && process.env.CI !== 'true')('matrix mutants: every family can fail', () => {
  it('noble passes each family; each mutant row fails its families as an unexpected failure', async () => {
    const { createNobleBackend } = await import('../../src/crypto/noble.ts');
    const { createLiboqsBackend } = await import('../../src/crypto/liboqs.ts');
    const mutants = await Promise.all(
      Object.keys(BACKEND_MUTANTS).map(async (m) =>
        ((await import(`../mutants/${m}.ts`)) as { default: () => Promise<CryptoBackend> }).default(),
      ),
    );
    const asyncs = Object.values(ASYNC_MUTANTS).map((a) => a.make());
    const targets = new Map<string, string[]>([
      ...mutants.map((b) => [b.name, BACKEND_MUTANTS[b.name.replace('mutant:', '')]] as [string, string[]]),
      ...asyncs.map((l) => [l.name, ASYNC_MUTANTS[l.name.replace('mutant:', '')].families] as [string, string[]]),
      ['noble', FAMILIES.map((f) => f.id)],
    ]);
    // liboqs is the third opinion that tells the matrix which side of a failing pair is wrong.
    const honest = new Set(['noble', 'liboqs']);
    const owner = (c: Check) => {
      const pair = pairOf(c.id);
      if (!pair) return c.backend === 'liboqs' ? undefined : c.backend;
      // Pairs run between honest libraries and between a mutant and an honest one, never two mutants.
      if (honest.has(pair.a) && honest.has(pair.b)) return 'noble';
      if (honest.has(pair.a) || honest.has(pair.b)) return honest.has(pair.a) ? pair.b : pair.a;
      return undefined;
    };
    const filter = (c: Check) => {
      const fam = familyOf(c.id);
      const who = owner(c);
      const alg = algOf(c.id);
      if (!fam || !who || (alg && alg !== 'ML-KEM-768' && alg !== 'ML-DSA-65')) return false;
      const wanted = targets.get(who);
      // noble runs only what some mutant targets.
      const needed = [...targets.entries()].some(([n, fs]) => n !== 'noble' && fs.includes(fam.id));
      return who === 'noble' ? needed : (wanted?.includes(fam.id) ?? false);
    };
    const m = await runMatrix({
      libraries: [rowOf(createNobleBackend()), rowOf(await createLiboqsBackend()), ...mutants.map(rowOf), ...asyncs.map(asyncRow)],
      vectorsDir: SHARED_VECTORS,
      profile: 'pr',
      seed: 3,
      filter,
      expectations: [],
    });
    const noble = m.rows.find((r) => r.library === 'noble');
    for (const [name, families] of targets) {
      if (name === 'noble') continue;
      const row = m.rows.find((r) => r.library === name);
      for (const f of families) {
        expect(row?.cells[f].status, `${name} must fail ${f}`).toBe('fail');
        expect(row?.cells[f].expected).toBe('unexpected-fail');
        expect(noble?.cells[f].status, `noble must pass ${f}: ${noble?.cells[f].reason}`).toBe('pass');
      }
    }
    expect(m.verdict).toBe('fail');
    // Every family of the matrix has at least one mutant above.
    const covered = new Set([...targets.entries()].filter(([n]) => n !== 'noble').flatMap(([, fs]) => fs));
    expect(FAMILIES.map((f) => f.id).filter((f) => !covered.has(f))).toEqual([]);
  }, 180_000);
});
