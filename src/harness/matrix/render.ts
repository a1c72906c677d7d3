// matrix.md (for people: one table, one line per pre-FIPS row, pairwise
// grids), matrix.html (the same as a page, html.ts) and matrix.json
// (everything, for tools), written atomically.
import { join } from 'node:path';
import { writeFileAtomic } from '../../report/atomic.ts';
import { flagCellText } from './flags.ts';
import { renderMatrixHtml } from './html.ts';
import type { Cell, MatrixReport } from './model.ts';

const MARK: Record<Cell['status'], string> = { pass: 'pass', fail: 'FAIL', unsupported: 'unsupported', skip: 'skip', 'n/a': 'n/a' };

const esc = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const short = (s: string, n = 90) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function cellText(c: Cell, preFips: boolean): string {
  if (c.status !== 'fail') {
    const x = c.expected === 'xpass' ? ` XPASS (${c.finding})` : '';
    return `${MARK[c.status]}${x}`;
  }
  const tag = c.finding ? ` ${c.finding}` : c.expected === 'unexpected-fail' ? ' UNEXPECTED' : '';
  // Pre-FIPS rows: the row's one-line note explains every FIPS failure.
  if (preFips) return `FAIL (pre-FIPS)${tag}`;
  const where = c.firstFailure ? `${c.firstFailure.alg ?? ''} ${c.firstFailure.case ?? ''}`.trim() : '';
  return `FAIL ${c.severity}${tag}${where ? `: ${esc(short(where, 40))}` : ''}`;
}

/** Wycheproof by flag, one table per Wycheproof family that counted flags; pre-FIPS rows are left out (their note explains them). */
function flagTables(m: MatrixReport): string[] {
  const lines: string[] = [];
  for (const f of m.families) {
    const rows = m.rows.filter((r) => !r.preFips && r.cells[f.id]?.flags);
    if (!rows.length) continue;
    const flags = [...new Set(rows.flatMap((r) => Object.keys(r.cells[f.id].flags ?? {})))].sort();
    lines.push(`## ${f.title} by flag (failed/total cases per Wycheproof flag)`, '');
    lines.push(`| library | ${flags.join(' | ')} |`, `|---|${flags.map(() => '---').join('|')}|`);
    for (const r of rows) lines.push(`| ${r.library} | ${flags.map((x) => flagCellText(r.cells[f.id].flags?.[x])).join(' | ')} |`);
    lines.push('');
  }
  return lines;
}

export function renderMarkdown(m: MatrixReport): string {
  const lines: string[] = [];
  lines.push('# PQC ecosystem matrix', '');
  lines.push(
    `Verdict: **${m.verdict}** (against the pinned findings in docs/findings.md) · profile ${m.profile} · seed ${m.seed} ` +
      `(\`pqc-harness matrix --seed ${m.seed}\` replays it) · ${m.node} · ${(m.durationMs / 1000).toFixed(1)} s`,
    '',
  );
  for (const r of m.verdictReasons) lines.push(`- ${esc(r)}`);
  if (m.verdictReasons.length) lines.push('');
  lines.push(`| library | version | ${m.families.map((f) => f.title).join(' | ')} |`);
  lines.push(`|---|---|${m.families.map(() => '---').join('|')}|`);
  for (const row of m.rows) {
    const cells = m.families.map((f) => cellText(row.cells[f.id], row.preFips));
    lines.push(`| ${row.library} | ${esc(row.version)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  const notes = m.rows.filter((r) => r.note);
  if (notes.length) {
    lines.push('## Notes', '');
    for (const r of notes) lines.push(`- **${r.library}**${r.preFips ? ' (pre-FIPS)' : ''}: ${esc(r.note as string)}`);
    lines.push('');
  }
  const failures = m.rows.flatMap((r) =>
    r.preFips ? [] : m.families.flatMap((f) => (r.cells[f.id].status === 'fail' ? [{ r, f, c: r.cells[f.id] }] : [])),
  );
  if (failures.length) {
    lines.push('## Failures', '', '| library | family | severity | spec | first failing case | finding |', '|---|---|---|---|---|---|');
    for (const { r, f, c } of failures) {
      const ff = c.firstFailure;
      const where = ff
        ? `${ff.check}${ff.file ? ` ${ff.file}` : ''}${ff.tcId !== undefined ? ` tcId ${ff.tcId}` : ff.case ? ` (${ff.case})` : ''}: ${ff.message}`
        : '';
      lines.push(
        `| ${r.library} | ${f.title} | ${c.severity} | ${c.spec ?? ''} | ${esc(short(where, 220))} | ${c.finding ?? 'UNPINNED'} |`,
      );
    }
    lines.push('');
  }
  lines.push(...flagTables(m));
  for (const g of m.interop) {
    lines.push(`## Interop ${g.alg} (row: keys from; column: operation by)`, '');
    lines.push(`| keys from \\ by | ${g.libraries.join(' | ')} |`, `|---|${g.libraries.map(() => '---').join('|')}|`);
    for (const a of g.libraries) {
      const cells = g.libraries.map((b) => (a === b ? '·' : (g.pairs[a]?.[b] ?? '').replace('pass', 'ok').replace('fail', 'FAIL')));
      lines.push(`| ${a} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

export function writeMatrix(outDir: string, m: MatrixReport): { markdown: string; json: string; html: string } {
  const markdown = join(outDir, 'matrix.md');
  const json = join(outDir, 'matrix.json');
  const html = join(outDir, 'matrix.html');
  writeFileAtomic(json, `${JSON.stringify(m, null, 2)}\n`);
  writeFileAtomic(markdown, renderMarkdown(m));
  writeFileAtomic(html, renderMatrixHtml(m));
  return { markdown, json, html };
}
