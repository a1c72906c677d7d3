// GitHub workflow commands (::error / ::warning): GitHub shows at most 10
// annotations of each kind per step, so we print at most 10 lines in all,
// and when there are more, 9 and one line that says how many more and where.
import type { CertificationReport } from './model.ts';
import { severityOf } from './severity.ts';
import { checkLabel, evidenceSummary, truncate } from './text.ts';

export const MAX_ANNOTATIONS = 10;

const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function renderAnnotations(r: CertificationReport): string[] {
  const lines: string[] = [];
  const policy = r.policy;
  for (const c of r.checks.filter((x) => x.status === 'fail')) {
    const v = policy?.violations.find((x) => x.check === c.id && x.backend === c.backend);
    const waived = v?.waivedBy !== undefined;
    const sev = severityOf(c.id)?.severity ?? 'unclassified';
    const file = (c.evidence.firstFailure as { file?: string } | undefined)?.file;
    const props = [
      ...(file && !file.startsWith('/') ? [`file=${prop(file)}`] : []),
      `title=${prop(`${sev}${waived ? ', waived' : ''}: ${checkLabel(c)}`)}`,
    ];
    lines.push(`::${waived ? 'warning' : 'error'} ${props.join(',')}::${data(truncate(evidenceSummary(c), 1000))}`);
  }
  for (const w of policy?.waivers ?? [])
    if (w.status === 'expired')
      lines.push(`::error title=${prop(`waiver expired: ${w.id}`)}::${data(`owner ${w.owner}, expired ${w.expires}`)}`);
  for (const w of policy?.warnings ?? []) lines.push(`::warning title=policy::${data(w)}`);
  if (lines.length <= MAX_ANNOTATIONS) return lines;
  const shown = lines.slice(0, MAX_ANNOTATIONS - 1);
  shown.push(
    `::notice title=${prop(`${lines.length - shown.length} more findings`)}::${data('see summary.md and results.sarif for the rest')}`,
  );
  return shown;
}
