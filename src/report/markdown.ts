// summary.md: what a person reads in a CI step summary. Failures first, with
// severity and the evidence needed to reproduce them; waived findings stay
// visible; then counts per backend. GitHub refuses step summaries above
// 1024 KiB, so tables are cut at a whole row and say how many rows are left.
import type { CertificationReport, ReportedCheck } from './model.ts';
import { severityOf } from './severity.ts';
import { evidenceSummary } from './text.ts';

export const SUMMARY_MAX_BYTES = 1024 * 1024;

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const name = (c: ReportedCheck) => `\`${c.id}\`${c.backend ? ` (${c.backend})` : ''}`;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

interface Table {
  /** Lines before the header (a heading, a <details> opener). */
  intro: string[];
  header: string[];
  rows: string[];
  outro: string[];
  what: string;
}

/** Lines of a table that fit in `budget` bytes, whole rows only, with an "N more" line when cut. */
function fitTable(t: Table, budget: number): string[] {
  const fixed = [...t.intro, ...t.header, ...t.outro];
  const moreLine = (n: number) => `_${n} more ${t.what} not shown (see certification.json)._`;
  let used = fixed.reduce((a, l) => a + bytes(l) + 1, 0) + bytes(moreLine(t.rows.length)) + 2;
  const kept: string[] = [];
  for (const row of t.rows) {
    if (used + bytes(row) + 1 > budget) break;
    kept.push(row);
    used += bytes(row) + 1;
  }
  if (!kept.length && t.rows.length && used > budget) return [moreLine(t.rows.length)];
  const cut = t.rows.length - kept.length;
  return [...t.intro, ...t.header, ...kept, ...(cut ? ['', moreLine(cut)] : []), ...t.outro];
}

function waiverOf(r: CertificationReport, c: ReportedCheck) {
  const v = r.policy?.violations.find((x) => x.check === c.id && x.backend === c.backend && x.waivedBy !== undefined);
  return v?.waivedBy !== undefined ? r.policy?.waivers[v.waivedBy] : undefined;
}

export function renderSummaryMarkdown(r: CertificationReport, maxBytes: number = SUMMARY_MAX_BYTES): string {
  const waivedRun = r.verdict === 'pass' && r.policy?.outcome === 'passed-with-waivers';
  const icon = r.verdict === 'pass' ? (waivedRun ? '⚠️' : '✅') : '❌';
  const head: string[] = [
    `# ${icon} PQC certification (${r.command}, ${r.profile}): ${r.verdict.toUpperCase()}${waivedRun ? ' with waivers' : ''}`,
    '',
    `${r.summary.passed} passed, ${r.summary.failed} failed, ${r.summary.skipped} skipped of ${r.summary.total} checks in ${(r.durationMs / 1000).toFixed(1)} s. Seed \`${r.seed}\` (rerun with \`--seed ${r.seed}\`).`,
    '',
  ];
  if (r.verdictReasons.length) head.push(...r.verdictReasons.map((x) => `- ${esc(x)}`), '');
  for (const w of r.policy?.warnings ?? []) head.push(`> **Warning:** ${esc(w)}`, '');
  const inventory = r.checks.find((c) => c.id === 'kat/vectors');
  if (inventory?.status === 'skip') {
    // A pr gate may pass without vectors; nobody should mistake that for a known-answer pass.
    head.push(`> **Warning: no known-answer vectors ran.** ${esc(inventory.reason ?? '')}`, '');
  }
  head.push('| backend | version | deterministic | pass | fail | skip |', '|---|---|---|---|---|---|');
  for (const b of r.backends) {
    const mine = r.checks.filter((c) => c.backend === b.name);
    const n = (s: string) => mine.filter((c) => c.status === s).length;
    head.push(`| ${esc(b.name)} | ${esc(b.version)} | ${b.deterministic ? 'yes' : 'no'} | ${n('pass')} | ${n('fail')} | ${n('skip')} |`);
  }
  const foot = [
    '',
    `<sub>${esc(r.tool.name)} ${esc(r.tool.version)} · Node ${esc(r.environment.node)} · ${esc(r.environment.os)} · ${esc(r.environment.cpu)} ×${r.environment.cores} · started ${r.startedAt}${r.policy ? ` · policy ${r.policy.digest.slice(0, 12)}` : ''}</sub>`,
    '',
  ];
  const failed = r.checks.filter((c) => c.status === 'fail');
  const open = failed.filter((c) => !waiverOf(r, c));
  const waived = failed.filter((c) => waiverOf(r, c));
  const sev = (c: ReportedCheck) => severityOf(c.id)?.severity ?? 'unclassified';
  const tables: Table[] = [];
  if (open.length)
    tables.push({
      intro: ['', '## Failed', ''],
      header: ['| check | severity | detail |', '|---|---|---|'],
      rows: open.map((c) => `| ${name(c)} | ${sev(c)} | ${esc(evidenceSummary(c))} |`),
      outro: [],
      what: 'failed checks',
    });
  if (waived.length)
    tables.push({
      intro: ['', '## Waived findings (still failing, accepted for a while)', ''],
      header: ['| check | severity | detail | waiver |', '|---|---|---|---|'],
      rows: waived.map((c) => {
        const w = waiverOf(r, c);
        return `| ${name(c)} | ${sev(c)} | ${esc(evidenceSummary(c))} | ${esc(`${w?.owner}, until ${w?.expires}: ${w?.reason}`)} |`;
      }),
      outro: [],
      what: 'waived findings',
    });
  const other = (r.policy?.violations ?? []).filter((v) => !v.check || !failed.some((c) => c.id === v.check && c.backend === v.backend));
  if (other.length)
    tables.push({
      intro: ['', '## Policy findings', ''],
      header: ['| rule | severity | action | message |', '|---|---|---|---|'],
      rows: other.map((v) => `| \`${v.rule}\` | ${v.severity} | ${v.waivedBy !== undefined ? 'waived' : v.action} | ${esc(v.message)} |`),
      outro: [],
      what: 'policy findings',
    });
  const skipped = r.checks.filter((c) => c.status === 'skip');
  if (skipped.length)
    tables.push({
      intro: ['', '<details><summary>Skipped</summary>', ''],
      header: ['| check | reason |', '|---|---|'],
      rows: skipped.map((c) => `| ${name(c)} | ${esc(c.reason ?? '')} |`),
      outro: ['', '</details>'],
      what: 'skipped checks',
    });
  const size = (ls: string[]) => ls.reduce((a, l) => a + bytes(l) + 1, 0);
  let budget = maxBytes - size(head) - size(foot);
  const body: string[] = [];
  for (const t of tables) {
    const lines = fitTable(t, budget);
    body.push(...lines);
    budget -= size(lines);
  }
  return [...head, ...body, ...foot].join('\n');
}
