// Every matrix family can turn to fail: one matrix run over noble (which
// must pass each family) and one mutant row per family (which must fail it,
// reported as an unexpected failure since no finding pins it). Each row runs
// only its target families, each on the cheapest parameter set whose
// vectors reach the defect (the Wycheproof sample has ML-KEM-768 and
// ML-DSA-65 only), and noble runs exactly what some mutant runs, to stay fast.
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

/** family -> the parameter set it runs on (X-Wing checks name none: ML-KEM-768 inside). */
type Targets = Record<string, string>;
const K = 'ML-KEM-512';
const S = 'ML-DSA-44';

/** mutant module (test/mutants/<name>.ts) -> the families it must fail, and where. */
const BACKEND_MUTANTS: Record<string, Targets> = {
  'mlkem-draft-keygen': { 'acvp-keygen': K, drbg: K, accumulated: K },
  'flipped-ss-bit': { 'acvp-encaps': K, roundtrip: K },
  'rejection-without-secret': { 'acvp-decaps': K, 'implicit-rejection': K },
  'mlkem-no-modulus-check': { 'acvp-key-checks': K, wycheproof: 'ML-KEM-768' },
  'truncated-signature': { 'acvp-siggen': S, 'wycheproof-signing-keys': 'ML-DSA-65' },
  'verify-accepts-all': { 'acvp-sigver': S },
  'shifted-seed': { determinism: K },
  'reversed-ek': { interop: K, xwing: 'ML-KEM-768' },
  'ignores-context': { context: S },
};
const ASYNC_MUTANTS: Record<string, { make: () => AsyncLibrary; targets: Targets }> = {
  'hpke-flipped-ss': { make: hpkeFlippedSs, targets: { interop: K } },
  'xwing-wrong-label': { make: xwingWrongLabel, targets: { xwing: 'ML-KEM-768' } },
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
    const targets = new Map<string, Targets>([
      ...mutants.map((b) => [b.name, BACKEND_MUTANTS[b.name.replace('mutant:', '')]] as [string, Targets]),
      ...asyncs.map((l) => [l.name, ASYNC_MUTANTS[l.name.replace('mutant:', '')].targets] as [string, Targets]),
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
      if (!fam || !who) return false;
      const at = (t: Targets | undefined) => t?.[fam.id] !== undefined && (algOf(c.id) ?? t[fam.id]) === t[fam.id];
      // noble runs every (family, parameter set) some mutant runs, and must pass it.
      return who === 'noble' ? [...targets.values()].some(at) : at(targets.get(who));
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
    for (const [name, t] of targets) {
      const row = m.rows.find((r) => r.library === name);
      for (const f of Object.keys(t)) {
        expect(row?.cells[f].status, `${name} must fail ${f}`).toBe('fail');
        expect(row?.cells[f].expected).toBe('unexpected-fail');
        expect(noble?.cells[f].status, `noble must pass ${f}: ${noble?.cells[f].reason}`).toBe('pass');
      }
    }
    // Wycheproof by flag: the unreduced-key cases are the ones that fail, and only in the mutant's row.
    const modulus = (name: string) => m.rows.find((r) => r.library === name)?.cells.wycheproof.flags?.ModulusOverflow;
    expect(modulus('mutant:mlkem-no-modulus-check')?.failed).toBeGreaterThan(0);
    expect(modulus('noble')).toMatchObject({ failed: 0 });
    expect(m.verdict).toBe('fail');
    // Every family of the matrix has at least one mutant above.
    const covered = new Set([...targets.values()].flatMap((t) => Object.keys(t)));
    expect(FAMILIES.map((f) => f.id).filter((f) => !covered.has(f))).toEqual([]);
  }, 180_000);
});
