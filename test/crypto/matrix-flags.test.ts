// Wycheproof by flag, on made-up results (no crypto, no vectors): a cell sums
// its checks' per-flag counts, malformed counts are ignored, and matrix.md
// gets one flag table per Wycheproof column without the pre-FIPS rows; so
// does matrix.html.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/evidence.ts';
import type { LibraryEntry } from '../../src/crypto/adapters/catalog.ts';
import { buildRows } from '../../src/harness/matrix/cells.ts';
import { FAMILIES } from '../../src/harness/matrix/families.ts';
import { flagCellText, sumFlags } from '../../src/harness/matrix/flags.ts';
import type { MatrixReport } from '../../src/harness/matrix/model.ts';
import { renderMatrixHtml } from '../../src/harness/matrix/html.ts';
import { renderMarkdown } from '../../src/harness/matrix/render.ts';
import type { LoadOutcome } from '../../src/harness/matrix/run.ts';

const counts = (total: number, failed: number, skipped = 0) => ({ total, passed: total - failed - skipped, failed, skipped });

function result(id: string, backend: string, flags: Record<string, unknown>, failed = false): CheckResult {
  return {
    id,
    title: id,
    backend,
    durationMs: 1,
    status: failed ? 'fail' : 'pass',
    ...(failed ? { reason: 'a case failed' } : {}),
    evidence: { flags, ...(failed ? { firstFailure: { case: 'tcId 2', tcId: 2, message: 'accepted [flags: ModulusOverflow]' } } : {}) },
  };
}

const outcome = (name: string, preFips?: string): LoadOutcome => {
  const entry: LibraryEntry = { name, source: name, ...(preFips ? { preFips } : {}), load: () => Promise.reject(new Error('unused')) };
  return { entry, loaded: { library: { name, version: `${name} 1.0`, deterministic: true, kems: [], sigs: [] } } };
};

describe('matrix: Wycheproof by flag', () => {
  it('sums per-flag counts over a cell, ignoring malformed entries', () => {
    const sum = sumFlags([
      result('kat/wycheproof/ML-KEM-768/encaps', 'x', { ModulusOverflow: counts(2, 1), Bogus: { total: 'many' } }),
      result('kat/wycheproof/ML-KEM-768/test', 'x', { ModulusOverflow: counts(3, 0), Strcmp: counts(1, 0, 1) }),
      result('kat/wycheproof/ML-KEM-768/keygen_seed', 'x', {}),
    ]);
    expect(sum).toEqual({ ModulusOverflow: counts(5, 1), Strcmp: counts(1, 0, 1) });
    expect(sumFlags([result('kat/acvp/ML-KEM-768/keyGen', 'x', {})])).toBeUndefined();
    expect([counts(5, 1), counts(3, 0), counts(2, 0, 1), counts(1, 0, 1)].map(flagCellText)).toEqual([
      'FAIL 1/5',
      'pass 3',
      'pass 1 (1 unsupported)',
      'unsupported',
    ]);
  });

  it('puts the flags in the cell and a flag table in matrix.md, leaving pre-FIPS rows to their note', () => {
    const results = [
      result('kat/wycheproof/ML-KEM-768/encaps', 'good', { ModulusOverflow: counts(2, 0), ValidEncaps: counts(4, 0) }),
      result('kat/wycheproof/ML-KEM-768/encaps', 'lax', { ModulusOverflow: counts(2, 2), ValidEncaps: counts(4, 0) }, true),
      result('kat/wycheproof/ML-KEM-768/encaps', 'old', { ModulusOverflow: counts(2, 2) }, true),
    ];
    const { rows } = buildRows([outcome('good'), outcome('lax'), outcome('old', 'round 3')], results, []);
    expect(rows[1].cells.wycheproof).toMatchObject({ status: 'fail', flags: { ModulusOverflow: counts(2, 2) } });
    expect(rows[0].cells.drbg.flags).toBeUndefined();
    const m: MatrixReport = {
      schemaVersion: 1,
      tool: 'test',
      startedAt: '2026-12-01T00:00:00.000Z',
      durationMs: 1,
      seed: 1,
      profile: 'pr',
      vectorsDir: '/v',
      node: 'v20',
      families: FAMILIES.map((f) => ({ id: f.id, title: f.title, severity: f.severity })),
      rows,
      interop: [],
      verdict: 'fail',
      verdictReasons: [],
      checks: [],
    };
    const md = renderMarkdown(m);
    expect(md).toContain('## Wycheproof by flag');
    expect(md).toContain('| library | ModulusOverflow | ValidEncaps |');
    expect(md).toContain('| lax | FAIL 2/2 | pass 4 |');
    expect(md).toContain('| good | pass 2 | pass 4 |');
    expect(md).not.toMatch(/^\| old \| FAIL 2\/2/m);
    expect(md).not.toContain('Wycheproof signing keys by flag');
    // matrix.html: the same tables; an unpinned failure is red, in the main table and by flag.
    const html = renderMatrixHtml(m);
    expect(html).toContain(
      '<td class="bad" title="kat/wycheproof/ML-KEM-768/encaps tcId 2: a case failed · FIPS 203 §7 input checks">FAIL fips UNEXPECTED</td>',
    );
    expect(html).toContain('<h3>Wycheproof by flag (failed/total cases)</h3>');
    expect(html).toContain('<tr><td>lax</td><td class="bad">FAIL 2/2</td><td class="ok">pass 4</td></tr>');
    expect(html).not.toContain('<tr><td>old</td><td class="bad">FAIL 2/2</td>');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});
