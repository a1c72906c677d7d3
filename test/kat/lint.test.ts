// Vector lint: it passes on the shared vectors and fails, naming the file and
// the defect, on an edited copy showing each defect (ACVP-Server #459, #460,
// missing cases, one-sided groups, Wycheproof schema violations). The copies
// are made at test time from the real files (test/fixtures/vector-defects.ts).
import { expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { acvpKemCheck, buildKatChecks, indexVectors } from '../../suites/kat/index.ts';
import { loadVectorDir } from '../../vectors/discover.ts';
import type { FileLint, LintRule } from '../../vectors/lint/findings.ts';
import { firstUnreducedCoefficient, negativeDkDefect, negativeEkDefect } from '../../vectors/lint/mlkem-keys.ts';
import noModulusCheck from '../mutants/mlkem-no-modulus-check.ts';
import { runCli } from '../support/cli.ts';
import { DEFECT_SET, DEFECT_WYCHE, acvpDefect, groupOf, negatives, reduceEk, wycheproofDefect } from '../fixtures/vector-defects.ts';
import { SHARED_VECTORS, ctx, explain, describeWithVectors, sharedVectors } from './setup.ts';

const SET_PATH = `${DEFECT_SET}/expectedResults.json`;

async function lintOf(dir: string, path: string): Promise<FileLint> {
  const v = await loadVectorDir(dir);
  const l = v.lint.find((x) => x.path === path);
  if (!l) throw new Error(`no lint for ${path} under ${dir}: ${JSON.stringify(v.errors)}`);
  return l;
}

/** The lint of dir's defective file has a defect of `rule` whose message matches, and its kat/lint check fails naming both. */
async function expectDefect(dir: string, path: string, rule: LintRule, message: RegExp, tcIds?: number[]) {
  const lint = await lintOf(dir, path);
  const d = lint.defects.find((x) => x.rule === rule && message.test(x.message));
  expect(d, `${rule} ${message} among ${JSON.stringify(lint.defects)}`).toBeDefined();
  if (tcIds) expect(d!.tcIds).toEqual(tcIds);
  const check = buildKatChecks([], await loadVectorDir(dir)).find((c) => c.id === `kat/lint/${path}`)!;
  const v = await check.run(ctx('pr', dir));
  expect(v.status).toBe('fail');
  expect(v.reason).toContain(path);
  expect(v.reason).toContain(lint.defects[0].rule);
  return { lint, verdict: v };
}

describeWithVectors('ML-KEM key rules (FIPS 203 §7.2, §7.3)', () => {
  it('finds the first coefficient >= q, and none in a reduced key', async () => {
    const pair = (await sharedVectors()).acvp.find((s) => s.mode === 'encapDecap')!;
    const ek = pair.kem.find((c) => c.fn === 'encapsulation' && c.alg === 'ML-KEM-512')!;
    expect(ek.fn === 'encapsulation' && firstUnreducedCoefficient('ML-KEM-512', ek.ek)).toBe(-1);
    const bad = Uint8Array.from(ek.fn === 'encapsulation' ? ek.ek : []);
    // coefficient 1 = high nibble of byte 1 | byte 2 << 4: 0xfff = 4095 >= q
    bad[1] |= 0xf0;
    bad[2] = 0xff;
    expect(firstUnreducedCoefficient('ML-KEM-512', bad)).toBe(1);
    expect(negativeEkDefect('ML-KEM-512', bad)).toBeUndefined();
    expect(negativeEkDefect('ML-KEM-512', bad.subarray(1))).toMatch(/799 bytes, not the standard 800/);
    expect(negativeEkDefect('ML-KEM-512', ek.fn === 'encapsulation' ? ek.ek : bad)).toMatch(/no coefficient >= q/);
  });

  it('a negative dk must store a wrong H(ek) and have the standard length', () => {
    expect(negativeDkDefect('ML-KEM-768', new Uint8Array(2399))).toMatch(/2399 bytes, not the standard 2400/);
    // All zeros: H(ek) of 1184 zero bytes is not zero, so the stored hash is wrong: a real negative.
    expect(negativeDkDefect('ML-KEM-768', new Uint8Array(2400))).toBeUndefined();
  });
});

describeWithVectors('vector lint on the shared vectors and on defective copies', () => {
  it('passes every file under the shared vectors, each with its kat/lint check run before any vector check', async () => {
    const v = await sharedVectors();
    expect(v.lint.length).toBe(14);
    for (const l of v.lint) expect(l.defects, l.path).toEqual([]);
    const checks = buildKatChecks([createNobleBackend()], v);
    const firstVector = checks.findIndex((c) => c.id.startsWith('kat/acvp/'));
    const lints = checks.map((c, i) => [c.id, i] as const).filter(([id]) => id.startsWith('kat/lint/'));
    expect(lints.length).toBe(14);
    for (const [, i] of lints) expect(i).toBeLessThan(firstVector);
    const one = checks.find((c) => c.id === 'kat/lint/acvp/ML-KEM-encapDecap-FIPS203/expectedResults.json')!;
    const verdict = await one.run(ctx());
    expect(verdict.status, explain(verdict)).toBe('pass');
    expect(verdict.evidence.casesExamined).toBe(165);
  });

  it('ACVP-Server #460 (length): negative keys of the wrong length let a backend without the modulus check pass', async () => {
    let shortened: number[] = [];
    const dir = acvpDefect(SHARED_VECTORS, (pair) => {
      const neg = negatives(pair, 'ML-KEM-768', 'encapsulationKeyCheck');
      for (const t of neg) t.ek = t.ek.slice(0, -2);
      shortened = neg.map((t: any) => t.tcId);
    });
    await expectDefect(dir, SET_PATH, 'negative-key', /ML-KEM-768 encapsulationKeyCheck negative case: ek is 1183 bytes/, shortened);
    // What the defect does: the mutant without the §7.2 check refuses short keys by length and passes this copy...
    const mutant = await noModulusCheck();
    const copy = await acvpKemCheck(mutant, 'ML-KEM-768', 'encapsulationKeyCheck', indexVectors(await loadVectorDir(dir))).run(
      ctx('pr', dir),
    );
    expect(copy.status, explain(copy)).toBe('pass');
    // ...while the real file, which the lint passes, catches it.
    const real = await acvpKemCheck(mutant, 'ML-KEM-768', 'encapsulationKeyCheck', indexVectors(await sharedVectors())).run(ctx());
    expect(real.status, explain(real)).toBe('fail');
  });

  it('ACVP-Server #460 (no coefficient >= q): "negative" keys that are valid cannot tell a correct backend from the mutant', async () => {
    const dir = acvpDefect(SHARED_VECTORS, (pair) => {
      for (const t of negatives(pair, 'ML-KEM-768', 'encapsulationKeyCheck')) t.ek = reduceEk('ML-KEM-768', t.ek);
    });
    await expectDefect(dir, SET_PATH, 'negative-key', /no coefficient >= q/);
    const idx = indexVectors(await loadVectorDir(dir));
    const run = async (b: CryptoBackend) => (await acvpKemCheck(b, 'ML-KEM-768', 'encapsulationKeyCheck', idx).run(ctx('pr', dir))).status;
    // Both accept the reduced keys, so both "fail" alike: the file says nothing about the modulus check.
    expect(await run(createNobleBackend())).toBe(await run(await noModulusCheck()));
  });

  it('ACVP-Server #459: decapsulationKeyCheck cases without the key', async () => {
    const dir = acvpDefect(SHARED_VECTORS, (pair) => {
      for (const t of groupOf(pair, 'ML-KEM-1024', 'decapsulationKeyCheck').tests) delete t.dk;
    });
    const { lint } = await expectDefect(dir, SET_PATH, 'key-present', /decapsulationKeyCheck case without its key "dk".*#459/);
    expect(lint.defects.find((d) => d.rule === 'key-present')!.caseCount).toBe(10);
  });

  it('a negative decapsulation key that passes the hash check', async () => {
    const dir = acvpDefect(SHARED_VECTORS, (pair) => {
      const good = groupOf(pair, 'ML-KEM-512', 'decapsulationKeyCheck');
      const positive = good.tests.find((t: any) => good.results.get(t.tcId).testPassed === true);
      for (const t of negatives(pair, 'ML-KEM-512', 'decapsulationKeyCheck')) t.dk = positive.dk;
    });
    await expectDefect(dir, SET_PATH, 'negative-key', /stores the correct H\(ek\)/);
  });

  it('a positive key that fails the check it should pass (wrong expected answer)', async () => {
    let flipped = 0;
    const dir = acvpDefect(SHARED_VECTORS, (pair) => {
      const t = negatives(pair, 'ML-KEM-512', 'encapsulationKeyCheck')[0];
      groupOf(pair, 'ML-KEM-512', 'encapsulationKeyCheck').results.get(t.tcId).testPassed = true;
      flipped = t.tcId;
    });
    await expectDefect(dir, SET_PATH, 'positive-key', /expects testPassed=true but its ek fails/, [flipped]);
  });

  it('expected case counts per parameter set and function, and per result kind', async () => {
    const dir = acvpDefect(SHARED_VECTORS, (pair) => {
      const g = pair.prompt.testGroups.find((x: any) => x.parameterSet === 'ML-KEM-512' && x.function === 'encapsulation');
      g.tests = g.tests.slice(0, 20);
      const neg = new Set(negatives(pair, 'ML-KEM-1024', 'encapsulationKeyCheck').map((t: any) => t.tcId));
      const k = pair.prompt.testGroups.find((x: any) => x.parameterSet === 'ML-KEM-1024' && x.function === 'encapsulationKeyCheck');
      k.tests = k.tests.filter((t: any) => !neg.has(t.tcId));
    });
    await expectDefect(
      dir,
      SET_PATH,
      'counts',
      /ML-KEM-512\/encapsulation: 20 cases, the pinned upstream ML-KEM encapDecap FIPS203 file has 25/,
    );
    await expectDefect(dir, SET_PATH, 'counts', /ML-KEM-1024\/encapsulationKeyCheck: 0 testPassed=false cases.* has 5/);
    await expectDefect(dir, SET_PATH, 'discriminates', /ML-KEM-1024\/encapsulationKeyCheck: all 5 cases expect testPassed=true/);
  });

  it('Wycheproof: a file that does not match its schema (unknown field, missing field, bad hex)', async () => {
    const dir = wycheproofDefect(SHARED_VECTORS, (f) => {
      const tests = f.testGroups.flatMap((g: any) => g.tests);
      tests[0].extra = 1;
      delete tests[1].m;
      tests[2].c = 'zz';
    });
    const { lint } = await expectDefect(
      dir,
      DEFECT_WYCHE,
      'schema',
      /does not match mlkem_encaps_test_schema.json: tcId \d+: Unrecognized key/,
    );
    expect(lint.defects.map((d) => d.message).join('\n')).toMatch(/field m: /);
    expect(lint.defects.map((d) => d.message).join('\n')).toMatch(/field c: not an even-length hex string/);
  });

  it('Wycheproof: numberOfTests that does not match the file, and fewer cases than the pinned file of that name', async () => {
    const dir = wycheproofDefect(SHARED_VECTORS, (f) => {
      f.numberOfTests = 265;
    });
    await expectDefect(dir, DEFECT_WYCHE, 'schema', /numberOfTests says 265 but the file holds 3 tests/);
    await expectDefect(dir, DEFECT_WYCHE, 'counts', /3 cases, the pinned file of this name has 265/);
  });

  it('Wycheproof: a same-length invalid encapsulation key with nothing unreduced in it, and a file with no invalid case', async () => {
    const dir = wycheproofDefect(SHARED_VECTORS, (f) => {
      const tests = f.testGroups.flatMap((g: any) => g.tests);
      const valid = tests.find((t: any) => t.result === 'valid');
      for (const t of tests) if (t.result === 'invalid' && t.ek.length === valid.ek.length) t.ek = valid.ek;
    });
    await expectDefect(dir, DEFECT_WYCHE, 'negative-key', /invalid encapsulation key of standard length with no coefficient >= q/);
    const none = wycheproofDefect(SHARED_VECTORS, (f) => {
      for (const g of f.testGroups) g.tests = g.tests.filter((t: any) => t.result === 'valid');
      f.numberOfTests = 1;
      f.testGroups = f.testGroups.filter((g: any) => g.tests.length > 0);
    });
    await expectDefect(none, DEFECT_WYCHE, 'discriminates', /no invalid case: a backend that accepts everything passes/);
  });

  it('`vectors lint` exits 0 on the shared vectors and 1 on a defective copy, naming the file and the defect', async () => {
    const ok = await runCli(['vectors', 'lint', '--dir', SHARED_VECTORS]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/14 sound, 0 defective, 0 failed to load/);
    const dir = acvpDefect(SHARED_VECTORS, (pair) => {
      for (const t of groupOf(pair, 'ML-KEM-768', 'decapsulationKeyCheck').tests) delete t.dk;
    });
    const bad = await runCli(['vectors', 'lint', '--dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`DEFECT  ${SET_PATH}`);
    expect(bad.stdout).toMatch(/key-present: decapsulationKeyCheck case without its key "dk"/);
  }, 60_000);
});
