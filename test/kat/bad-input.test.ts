// Bad vector files: each gives a clear error naming the file (and tcId where
// there is one), becomes its own failing kat/load/<path> check, and the other
// files still load and run. One test per kind of bad input.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { buildKatChecks } from '../../suites/kat/index.ts';
import { loadVectorDir } from '../../vectors/discover.ts';
import { describeWithVectors, SHARED_VECTORS, ctx } from './setup.ts';

const GOOD = 'xwing/test-vectors.json';
const KEYGEN = 'acvp/ML-KEM-keyGen-FIPS203';

/** A temp vectors dir holding the good X-Wing file plus whatever the test writes. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kat-bad-'));
  mkdirSync(join(dir, 'xwing'));
  cpSync(join(SHARED_VECTORS, GOOD), join(dir, GOOD));
  return dir;
}

function write(dir: string, rel: string, text: string): void {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

const shared = (rel: string) => readFileSync(join(SHARED_VECTORS, rel), 'utf8');

/** Copies the ML-KEM keyGen set under a path that has no pin, edited by `edit`. */
function keygenSet(dir: string, folder: string, edit: (prompt: any) => void): void {
  const prompt = JSON.parse(shared(`${KEYGEN}/prompt.json`));
  edit(prompt);
  write(dir, `${folder}/prompt.json`, JSON.stringify(prompt));
  write(dir, `${folder}/expectedResults.json`, shared(`${KEYGEN}/expectedResults.json`));
}

/** Loads dir, expects exactly one load error matching `message`, a failing kat/load check, and X-Wing still passing. */
async function expectOneBadFile(dir: string, path: string, message: RegExp, tcId?: number) {
  const v = await loadVectorDir(dir);
  expect(v.errors).toHaveLength(1);
  expect(v.errors[0].path).toBe(path);
  expect(v.errors[0].message).toContain(path);
  expect(v.errors[0].message).toMatch(message);
  if (tcId !== undefined) {
    expect(v.errors[0].tcId).toBe(tcId);
    expect(v.errors[0].message).toContain(`tcId ${tcId}`);
  }
  const checks = buildKatChecks([createNobleBackend()], v);
  const load = checks.find((c) => c.id === `kat/load/${path}`)!;
  const lv = await load.run(ctx('pr', dir));
  expect(lv.status).toBe('fail');
  expect(lv.reason).toBe(v.errors[0].message);
  const xwing = await checks.find((c) => c.id === 'kat/xwing')!.run(ctx('pr', dir));
  expect(xwing.status, 'the other files still run').toBe('pass');
  return v;
}

describeWithVectors('bad vector input', () => {
  it('truncated JSON', async () => {
    const dir = tempDir();
    write(dir, 'mine/mlkem_768_test.json', shared('wycheproof-sample/testvectors_v1/mlkem_768_test.json').slice(0, 500));
    await expectOneBadFile(dir, 'mine/mlkem_768_test.json', /invalid JSON/);
  });

  it('invalid JSON (not JSON at all)', async () => {
    const dir = tempDir();
    write(dir, 'mine/garbage.json', '{"algorithm": "ML-KEM", tests: [1,2,]}');
    await expectOneBadFile(dir, 'mine/garbage.json', /invalid JSON/);
  });

  it('wrong schema: a Wycheproof file whose tests are not what its schema says', async () => {
    const dir = tempDir();
    const w = JSON.parse(shared('wycheproof-sample/testvectors_v1/mlkem_768_encaps_test.json'));
    delete w.testGroups[1].tests[0].m;
    write(dir, 'mine/mlkem_768_encaps_test.json', JSON.stringify(w));
    await expectOneBadFile(dir, 'mine/mlkem_768_encaps_test.json', /field "m" must be a string, got nothing/, 14);
  });

  it('wrong schema: testGroups is not an array', async () => {
    const dir = tempDir();
    keygenSet(dir, 'mine/keygen', (p) => (p.testGroups = { not: 'an array' }));
    await expectOneBadFile(dir, 'mine/keygen/prompt.json', /field "testGroups" must be an array/);
  });

  it('unknown parameterSet', async () => {
    const dir = tempDir();
    keygenSet(dir, 'mine/keygen', (p) => (p.testGroups[1].parameterSet = 'ML-KEM-999'));
    await expectOneBadFile(dir, 'mine/keygen/prompt.json', /unknown parameterSet "ML-KEM-999"/);
  });

  it('odd-length hex', async () => {
    const dir = tempDir();
    keygenSet(dir, 'mine/keygen', (p) => (p.testGroups[0].tests[4].d = p.testGroups[0].tests[4].d.slice(1)));
    await expectOneBadFile(dir, 'mine/keygen/prompt.json', /field "d": odd-length hex \(63 digits\)/, 5);
  });

  it('a file whose SHA-256 does not match its pin is not run', async () => {
    const dir = tempDir();
    // Same path as a pinned upstream file, one test changed.
    keygenSet(dir, KEYGEN, (p) => (p.testGroups[0].tests[0].d = '00'.repeat(32)));
    const v = await expectOneBadFile(dir, `${KEYGEN}/prompt.json`, /SHA-256 [0-9a-f]{64} does not match its pin 3f9ce34f/);
    expect(v.acvp).toHaveLength(0);
  });

  it('a broken symbolic link is an error of that entry alone; the rest still runs', async () => {
    const dir = tempDir();
    symlinkSync(join(dir, 'no-such-file.json'), join(dir, 'dangling.json'));
    await expectOneBadFile(dir, 'dangling.json', /broken link/);
  });
});

describeWithVectors('vector directories made of links', () => {
  it('follows symbolic links to files and folders, and never loops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kat-links-'));
    symlinkSync(join(SHARED_VECTORS, 'xwing'), join(dir, 'xwing'));
    symlinkSync(join(SHARED_VECTORS, KEYGEN, 'prompt.json'), join(dir, 'prompt.json'));
    mkdirSync(join(dir, 'loop'));
    symlinkSync(dir, join(dir, 'loop', 'back'));
    const v = await loadVectorDir(dir);
    expect(v.xwing.length).toBeGreaterThan(0);
    expect(v.files.map((f) => f.path)).toContain('xwing/test-vectors.json');
  });
});
