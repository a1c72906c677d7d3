// The findings of docs/findings.md, pinned: each still reproduces (XFAIL),
// and a pinned failure that starts passing is reported as XPASS and fails
// the matrix, so a change in a library's behaviour is noticed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { libraryEntry, type LibraryEntry } from '../../src/crypto/adapters/catalog.ts';
import type { Check } from '../../src/check/evidence.ts';
import { pairOf } from '../../src/harness/matrix/cells.ts';
import { EXPECTATIONS } from '../../src/harness/matrix/expectations.ts';
import { algOf, familyOf } from '../../src/harness/matrix/families.ts';
import { runMatrix } from '../../src/harness/matrix/run.ts';
import { FULL_WYCHEPROOF, HAVE_FULL_WYCHEPROOF, HAVE_VECTORS, IN_CI, SHARED_VECTORS } from '../kat/setup.ts';

const entry = (name: string) => libraryEntry(name) as LibraryEntry;
const runOn = process.env.CI === 'true' || HAVE_VECTORS;
const ALGS = new Set(['ML-KEM-768', 'ML-DSA-65', 'ML-DSA-87']);
/** Libraries with every parameter set run on the cheapest one, apart from Wycheproof (the sample has ML-KEM-768 only). */
const CHEAPEST = new Set(['ML-KEM-512']);
const algsOf = (library: string, family: string) =>
  (library === 'crystals-kyber' || library === 'mlkem') && family !== 'wycheproof' ? CHEAPEST : ALGS;

/** Keeps the pinned families of pinned libraries (and noble/liboqs as third opinions in pairs), on a few algorithms. */
function pinnedOnly(c: Check): boolean {
  const fam = familyOf(c.id);
  if (!fam) return false;
  const alg = algOf(c.id);
  const pair = pairOf(c.id);
  const who = pair ? [pair.a, pair.b] : [c.backend ?? ''];
  const pinned = (w: string) => EXPECTATIONS.some((e) => e.library === w && e.families.includes(fam.id));
  return who.some((w) => pinned(w) && (!alg || algsOf(w, fam.id).has(alg)));
}

describe.skipIf(!runOn)('pinned findings', () => {
  it('F1-F5 still reproduce on the default vectors: every pinned cell is XFAIL and the matrix passes', async () => {
    const names = ['noble', 'liboqs', 'pqclean', 'mlkem', 'crystals-kyber', 'pqc-kyber', 'dilithium-crystals'];
    const m = await runMatrix({ libraries: names.map(entry), vectorsDir: SHARED_VECTORS, profile: 'pr', seed: 9, filter: pinnedOnly });
    for (const pin of EXPECTATIONS.filter((e) => !e.requiresFile)) {
      const row = m.rows.find((r) => r.library === pin.library);
      for (const f of pin.families) {
        const cell = row?.cells[f];
        expect(cell?.expected, `${pin.finding} ${pin.library} ${f}: ${cell?.status} ${cell?.reason ?? ''}`).toBe('xfail');
        expect(cell?.finding).toBe(pin.finding);
      }
    }
    expect(m.verdictReasons).toEqual([]);
    expect(m.verdict).toBe('pass');
  }, 180_000);

  it('an expected failure that starts passing is XPASS and fails the matrix', async () => {
    const m = await runMatrix({
      libraries: [entry('noble')],
      vectorsDir: SHARED_VECTORS,
      profile: 'pr',
      seed: 9,
      only: 'kat/acvp/ML-KEM-768/keyGen',
      expectations: [{ finding: 'F99', library: 'noble', families: ['acvp-keygen'] }],
    });
    expect(m.rows[0].cells['acvp-keygen']).toMatchObject({ status: 'pass', expected: 'xpass', finding: 'F99' });
    expect(m.verdict).toBe('fail');
    expect(m.verdictReasons).toEqual([expect.stringMatching(/^noble acvp-keygen: XPASS: finding F99 no longer reproduces/)]);
  });

  it.skipIf(!HAVE_FULL_WYCHEPROOF && !IN_CI)(
    'F6, F7: with the full upstream Wycheproof set, liboqs-js and @theqrl/mldsa87 sign with out-of-range ML-DSA private keys',
    async () => {
      // Only the two files that show it: the ACVP files are not needed, and parsing them would double the test's cost.
      const dir = mkdtempSync(join(tmpdir(), 'vectors-full-'));
      const files = ['mldsa_44_sign_noseed_test.json', 'mldsa_87_sign_noseed_test.json'];
      mkdirSync(join(dir, 'wycheproof', 'testvectors_v1'), { recursive: true });
      for (const f of files) symlinkSync(join(FULL_WYCHEPROOF, 'testvectors_v1', f), join(dir, 'wycheproof', 'testvectors_v1', f));
      const m = await runMatrix({
        libraries: [entry('liboqs'), entry('theqrl-mldsa87')],
        vectorsDir: dir,
        profile: 'pr',
        seed: 9,
        filter: (c) =>
          /^kat\/wycheproof\/ML-DSA-(44|87)\/sign_noseed$/.test(c.id) && (c.backend === 'theqrl-mldsa87' || c.id.includes('-44/')),
      });
      for (const [row, finding] of [
        [m.rows[0], 'F6'],
        [m.rows[1], 'F7'],
      ] as const) {
        const cell = row.cells['wycheproof-signing-keys'];
        expect(cell, row.library).toMatchObject({ status: 'fail', severity: 'hardening', expected: 'xfail', finding });
        expect(cell.firstFailure?.message).toMatch(/out of range.*InvalidPrivateKey/);
        // Wycheproof by flag: the out-of-range keys, and nothing else.
        expect(cell.flags?.InvalidPrivateKey).toMatchObject({ total: 2, failed: 2 });
        expect(
          Object.entries(cell.flags ?? {})
            .filter(([, c]) => c.failed > 0)
            .map(([f]) => f),
        ).toEqual(['InvalidPrivateKey']);
      }
      expect(m.verdict).toBe('pass');
    },
  );
});

describe('F5: dilithium-crystals verifies only the first 4597 bytes it is given and copies all of them into a 4597-byte heap buffer', () => {
  it('a valid signature with bytes appended still verifies', () => {
    // In a child process: the copy past the buffer corrupts the WebAssembly heap (in one matrix run it
    // killed the process from a timer), which must not reach the test runner.
    const script = `
      const { dilithium } = require('dilithium-crystals');
      (async () => {
        const { publicKey, privateKey } = await dilithium.keyPair();
        const msg = new Uint8Array([1, 2, 3]);
        const sig = await dilithium.signDetached(msg, privateKey);
        const longer = new Uint8Array(sig.length + 30);
        longer.set(sig);
        longer.fill(0xff, sig.length);
        console.log('appended:' + (await dilithium.verifyDetached(longer, msg, publicKey)));
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
      timeout: 30_000,
    });
    // XPASS: if this prints appended:false, the library now checks the length; update docs/findings.md (F5) and the adapter's guard.
    expect(r.stdout.trim()).toBe('appended:true');
  });
});
