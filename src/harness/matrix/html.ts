// matrix.html: the ecosystem matrix as one self-contained page in the look of
// report.html (its CSS, no script, no network) for people choosing a library:
// the libraries x families table with coloured cells, one note per pre-FIPS
// or unavailable row, the failures with severity and spec clause, Wycheproof
// by flag and the pairwise interop grids. The same data as matrix.md.
import { h } from '../../report/html-charts.ts';
import { CSS } from '../../report/html.ts';
import { flagCellText } from './flags.ts';
import type { Cell, MatrixReport } from './model.ts';

/** Cell colours of report.html: ok, bad, waived (a pinned finding: XFAIL), skip, na. */
function cls(c: Cell): string {
  if (c.expected === 'xpass' || c.expected === 'unexpected-fail') return 'bad';
  if (c.status === 'fail') return 'waived';
  return { pass: 'ok', unsupported: 'skip', skip: 'skip', 'n/a': 'na' }[c.status] ?? 'na';
}

function cellHtml(c: Cell, preFips: boolean): string {
  const ff = c.firstFailure;
  const title = [
    c.reason,
    ff && `${ff.check}${ff.file ? ` ${ff.file}` : ''}${ff.tcId !== undefined ? ` tcId ${ff.tcId}` : ''}: ${ff.message}`,
    c.spec,
  ]
    .filter(Boolean)
    .join(' · ');
  const text =
    c.status === 'fail'
      ? `FAIL${preFips ? ' (pre-FIPS)' : ` ${c.severity ?? ''}`}${c.finding ? ` ${c.finding}` : ' UNEXPECTED'}`
      : `${c.status}${c.expected === 'xpass' ? ` XPASS (${c.finding})` : ''}`;
  return `<td class="${cls(c)}"${title ? ` title="${h(title)}"` : ''}>${h(text)}</td>`;
}

function table(head: readonly string[], rows: readonly string[][]): string {
  return `<table><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</table>`;
}

const td = (s: string, c = '') => `<td${c ? ` class="${c}"` : ''}>${h(s)}</td>`;

export function renderMatrixHtml(m: MatrixReport): string {
  const main = table(
    ['library', 'version', ...m.families.map((f) => f.title)],
    m.rows.map((r) => [td(r.library), td(r.version), ...m.families.map((f) => cellHtml(r.cells[f.id], r.preFips))]),
  );
  const notes = m.rows
    .filter((r) => r.note)
    .map((r) => `<li><b>${h(r.library)}</b>${r.preFips ? ' (pre-FIPS)' : ''}: ${h(r.note ?? '')}</li>`);
  const failures = m.rows.flatMap((r) =>
    r.preFips
      ? []
      : m.families.flatMap((f) => {
          const c = r.cells[f.id];
          if (c.status !== 'fail') return [];
          const ff = c.firstFailure;
          const where = ff ? `${ff.check}${ff.file ? ` ${ff.file}` : ''}${ff.tcId !== undefined ? ` tcId ${ff.tcId}` : ''}` : '';
          return [[td(r.library), td(f.title), td(c.severity ?? ''), td(c.spec ?? ''), td(where), td(c.finding ?? 'UNPINNED', cls(c))]];
        }),
  );
  const flags = m.families.flatMap((f) => {
    const rows = m.rows.filter((r) => !r.preFips && r.cells[f.id]?.flags);
    if (!rows.length) return [];
    const names = [...new Set(rows.flatMap((r) => Object.keys(r.cells[f.id].flags ?? {})))].sort();
    const body = rows.map((r) => [
      td(r.library),
      ...names.map((n) => {
        const c = r.cells[f.id].flags?.[n];
        return td(flagCellText(c), !c ? 'na' : c.failed ? 'bad' : c.passed ? 'ok' : 'skip');
      }),
    ]);
    return [`<h3>${h(f.title)} by flag (failed/total cases)</h3>${table(['library', ...names], body)}`];
  });
  const grids = m.interop.map((g) => {
    const body = g.libraries.map((a) => [
      td(a),
      ...g.libraries.map((b) => {
        const s = a === b ? undefined : g.pairs[a]?.[b];
        return td(a === b ? '·' : (s ?? ''), s === 'pass' ? 'ok' : s === 'fail' ? 'bad' : 'na');
      }),
    ]);
    return `<h3>${h(g.alg)} (row: keys from; column: operation by)</h3>${table(['keys from \\ by', ...g.libraries], body)}`;
  });
  const verdict = m.verdict === 'pass' ? 'pass' : 'fail';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>PQC ecosystem matrix ${verdict} (${h(m.profile)}, seed ${m.seed})</title><style>${CSS}body{max-width:none}</style></head><body>
<section id="verdict-section"><h1>PQC ecosystem matrix: <span class="${verdict}" id="verdict">${verdict.toUpperCase()}</span></h1>
<p>against the pinned findings in docs/findings.md · profile ${h(m.profile)} · seed <code>${m.seed}</code> (<code>pqc-harness matrix --seed ${m.seed}</code> replays it) · Node ${h(m.node)} · ${(m.durationMs / 1000).toFixed(1)} s</p>
${m.verdictReasons.length ? `<ul>${m.verdictReasons.map((x) => `<li class="fail">${h(x)}</li>`).join('')}</ul>` : ''}</section>
<section id="matrix"><h2>Libraries x families</h2>${main}<small>green: pass · yellow: a failure pinned in docs/findings.md (XFAIL) · red: an unexpected failure or XPASS · grey: unsupported or skipped · pale: n/a</small>
${notes.length ? `<ul>${notes.join('')}</ul>` : ''}</section>
<section id="failures"><h2>Failures</h2>${failures.length ? table(['library', 'family', 'severity', 'spec', 'first failing case', 'finding'], failures) : '<p>None outside the pre-FIPS rows.</p>'}</section>
<section id="flags"><h2>Wycheproof by flag</h2>${flags.length ? flags.join('') : '<p class="nodata">No Wycheproof case ran.</p>'}</section>
<section id="interop"><h2>Pairwise interop</h2>${grids.length ? grids.join('') : '<p class="nodata">No pair ran.</p>'}</section>
</body></html>
`;
}
