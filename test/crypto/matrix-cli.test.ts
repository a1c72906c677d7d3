// `pqc-harness matrix` end to end on a small selection (one child process):
// writes matrix.md, matrix.json and matrix.html and exits 0 when every cell is as pinned.
// Replay by seed and the unknown-library error are checked in process.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryEntry, type LibraryEntry } from '../../src/crypto/adapters/catalog.ts';
import { ConfigError } from '../../src/errors.ts';
import { pickLibraries } from '../../src/harness/matrix/command.ts';
import type { MatrixReport } from '../../src/harness/matrix/model.ts';
import { runMatrix } from '../../src/harness/matrix/run.ts';
import { runCli } from '../support/cli.ts';
import { HAVE_VECTORS, SHARED_VECTORS } from '../kat/setup.ts';

describe.skipIf(!HAVE_VECTORS && process.env.CI !== 'true')('pqc-harness matrix', () => {
  it('writes matrix.md, matrix.json and matrix.html; the pinned mlkem finding is XFAIL', async () => {
    const out = mkdtempSync(join(tmpdir(), 'matrix-'));
    const args = ['matrix', '-b', 'noble', '-b', 'mlkem', '-b', 'hpke-ml-kem', '--only', 'ML-KEM-512', '--seed', '4'];
    const r = await runCli([...args, '--vectors', SHARED_VECTORS, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS: 3 libraries x 16 families, \d+ checks in [\d.]+ s \(seed 4\)/);
    const m = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8')) as MatrixReport;
    expect(m.seed).toBe(4);
    const mlkem = m.rows.find((r) => r.library === 'mlkem');
    expect(mlkem?.version).toBe('mlkem 2.7.0');
    expect(mlkem?.cells['acvp-key-checks']).toMatchObject({ status: 'fail', expected: 'xfail', finding: 'F2', severity: 'fips' });
    expect(mlkem?.cells['acvp-key-checks'].firstFailure).toMatchObject({
      alg: 'ML-KEM-512',
      file: 'acvp/ML-KEM-encapDecap-FIPS203/expectedResults.json',
    });
    expect(m.rows.find((r) => r.library === 'hpke-ml-kem')?.cells.interop.status).toBe('pass');
    expect(m.interop.map((g) => g.alg)).toEqual(['ML-KEM-512']);
    const md = readFileSync(join(out, 'matrix.md'), 'utf8');
    expect(md).toMatch(/\| mlkem \| mlkem 2\.7\.0 \|.*FAIL fips F2/);
    expect(md).toContain('## Interop ML-KEM-512');
    expect(md).toContain('pqc-harness matrix --seed 4');
    const html = readFileSync(join(out, 'matrix.html'), 'utf8');
    expect(html).toContain('<span class="pass" id="verdict">PASS</span>');
    expect(html).toMatch(/<td class="waived"[^>]*>FAIL fips F2<\/td>/);
  }, 120_000);

  it('one seed replays the run: the same checks with the same verdicts and evidence', async () => {
    const libraries = ['noble', 'mlkem', 'hpke-ml-kem'].map((n) => libraryEntry(n) as LibraryEntry);
    // The seeded families: property checks and the pairwise checks draw every key, message and ciphertext from the seed.
    const filter = (c: { id: string }) => c.id.includes('ML-KEM-512') && /^(crypto|matrix)\//.test(c.id);
    const run = () => runMatrix({ libraries, vectorsDir: SHARED_VECTORS, profile: 'pr', seed: 4, filter });
    const [a, b] = [await run(), await run()];
    const strip = (x: MatrixReport) => ({ checks: x.checks.map(({ durationMs: _d, ...c }) => c), rows: x.rows, interop: x.interop });
    expect(a.checks.length).toBeGreaterThan(5);
    expect(strip(b)).toEqual(strip(a));
  });

  it('an unknown library is a usage error naming the known ones', () => {
    expect(() => pickLibraries(['noble', 'kyberish'])).toThrow(ConfigError);
    expect(() => pickLibraries(['kyberish'])).toThrow(/unknown library "kyberish" \(known: noble, liboqs, pqclean, mlkem/);
    expect(pickLibraries(undefined).map((l) => l.name)).toContain('hpke-x-wing');
  });
});
