// Small text helpers shared by the writers.
import type { ReportedCheck } from './model.ts';

/** One line saying what a failing or skipped check saw: reason, first failing case, seed. */
export function evidenceSummary(c: ReportedCheck): string {
  const f = c.evidence.firstFailure as Record<string, unknown> | undefined;
  const parts = [c.reason ?? (c.status === 'fail' ? 'failed' : c.status)];
  if (f) {
    for (const key of ['file', 'tcId', 'case', 'field', 'offset', 'expected', 'actual'] as const) {
      if (f[key] !== undefined && f[key] !== '') parts.push(`${key}: ${String(f[key])}`);
    }
  }
  if (c.evidence.seed !== undefined) parts.push(`seed: ${c.evidence.seed}`);
  return parts.join('; ');
}

export const checkLabel = (c: { id: string; backend?: string }) => (c.backend ? `${c.id} [${c.backend}]` : c.id);

/** XML 1.0 text: escape markup and drop characters XML cannot carry (C0 controls but tab, LF, CR). */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
