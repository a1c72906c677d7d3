// `pqc-harness matrix` on a small selection: writes matrix.md and matrix.json,
// exits 0 when every cell is as pinned, and names an unknown library.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MatrixReport } from '../../src/harness/matrix/model.ts';
import { runCli } from '../support/cli.ts';
import { HAVE_VECTORS, SHARED_VECTORS } from '../kat/setup.ts';

describe.skipIf(!HAVE_VECTORS && process.env.CI !== 'true')('pqc-harness matrix', () => {
  it('writes both files; the pinned mlkem finding is XFAIL; one seed replays the run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'matrix-'));
    const args = [
      'matrix',
      '-b',
      'noble',
      '-b',
      'mlkem',
      '-b',
      'hpke-ml-kem',
      '--only',
      'ML-KEM-512',
      '--seed',
      '4',
      '--vectors',
      SHARED_VECTORS,
    ];
    const r = await runCli([...args, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS: 3 libraries x 16 families, \d+ checks in [\d.]+ s \(seed 4\)/);
    const m = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8')) as MatrixReport;
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

    const again = mkdtempSync(join(tmpdir(), 'matrix-'));
    expect((await runCli([...args, '--out', again])).code).toBe(0);
    const n = JSON.parse(readFileSync(join(again, 'matrix.json'), 'utf8')) as MatrixReport;
    const strip = (x: MatrixReport) => x.checks.map(({ durationMs: _d, ...c }) => c);
    expect(strip(n)).toEqual(strip(m));
  }, 120_000);

  it('an unknown library is a usage error naming the known ones', async () => {
    const out = mkdtempSync(join(tmpdir(), 'matrix-'));
    const r = await runCli(['matrix', '-b', 'kyberish', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown library "kyberish" \(known: noble, liboqs, pqclean, mlkem/);
    expect(existsSync(join(out, 'matrix.json'))).toBe(false);
  });
});
