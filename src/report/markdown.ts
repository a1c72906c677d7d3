// summary.md: what a person reads in a CI step summary. Failures first, with
// the evidence needed to reproduce them; then counts per backend.
import type { CertificationReport, ReportedCheck } from './model.ts';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const name = (c: ReportedCheck) => `\`${c.id}\`${c.backend ? ` (${c.backend})` : ''}`;

function failureDetail(c: ReportedCheck): string {
  const f = c.evidence.firstFailure as Record<string, unknown> | undefined;
  const parts = [c.reason ?? 'failed'];
  if (f) {
    for (const key of ['file', 'tcId', 'case', 'field', 'offset', 'expected', 'actual'] as const) {
      if (f[key] !== undefined && f[key] !== '') parts.push(`${key}: ${String(f[key])}`);
    }
  }
  if (c.evidence.seed !== undefined) parts.push(`seed: ${c.evidence.seed}`);
  return esc(parts.join('; '));
}

export function renderSummaryMarkdown(r: CertificationReport): string {
  const icon = r.verdict === 'pass' ? '✅' : '❌';
  const lines: string[] = [
    `# ${icon} PQC certification (${r.command}, ${r.profile}): ${r.verdict.toUpperCase()}`,
    '',
    `${r.summary.passed} passed, ${r.summary.failed} failed, ${r.summary.skipped} skipped of ${r.summary.total} checks in ${(r.durationMs / 1000).toFixed(1)} s. Seed \`${r.seed}\` (rerun with \`--seed ${r.seed}\`).`,
    '',
  ];
  if (r.verdictReasons.length) lines.push(...r.verdictReasons.map((x) => `- ${x}`), '');
  const inventory = r.checks.find((c) => c.id === 'kat/vectors');
  if (inventory?.status === 'skip') {
    // A pr gate may pass without vectors; nobody should mistake that for a known-answer pass.
    lines.push(`> **Warning: no known-answer vectors ran.** ${esc(inventory.reason ?? '')}`, '');
  }
  lines.push('| backend | version | deterministic | pass | fail | skip |', '|---|---|---|---|---|---|');
  for (const b of r.backends) {
    const mine = r.checks.filter((c) => c.backend === b.name);
    const n = (s: string) => mine.filter((c) => c.status === s).length;
    lines.push(`| ${esc(b.name)} | ${esc(b.version)} | ${b.deterministic ? 'yes' : 'no'} | ${n('pass')} | ${n('fail')} | ${n('skip')} |`);
  }
  const failed = r.checks.filter((c) => c.status === 'fail');
  if (failed.length) {
    lines.push('', '## Failed', '', '| check | detail |', '|---|---|');
    for (const c of failed) lines.push(`| ${name(c)} | ${failureDetail(c)} |`);
  }
  const skipped = r.checks.filter((c) => c.status === 'skip');
  if (skipped.length) {
    lines.push('', '<details><summary>Skipped</summary>', '', '| check | reason |', '|---|---|');
    for (const c of skipped) lines.push(`| ${name(c)} | ${esc(c.reason ?? '')} |`);
    lines.push('', '</details>');
  }
  lines.push(
    '',
    `<sub>${esc(r.tool.name)} ${esc(r.tool.version)} · Node ${esc(r.environment.node)} · ${esc(r.environment.os)} · ${esc(r.environment.cpu)} ×${r.environment.cores} · started ${r.startedAt}</sub>`,
    '',
  );
  return lines.join('\n');
}
