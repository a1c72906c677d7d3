// Writes a run's report files into the output directory, all from the same
// validated report model.
import { join } from 'node:path';
import { renderAnnotations } from './annotations.ts';
import { writeFileAtomic } from './atomic.ts';
import { renderCbom } from './cbom.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderSummaryMarkdown } from './markdown.ts';
import { type CertificationReport, certificationSchema } from './model.ts';
import { renderSarif } from './sarif.ts';

/** The files `certify` writes, by role; `report sign` covers each of them. */
export const REPORT_FILES = {
  json: 'certification.json',
  markdown: 'summary.md',
  html: 'report.html',
  junit: 'junit.xml',
  sarif: 'results.sarif',
  cbom: 'cbom.json',
  annotations: 'annotations.txt',
} as const;

export type WrittenReport = { -readonly [K in keyof typeof REPORT_FILES]: string };

export function writeReport(outDir: string, report: CertificationReport): WrittenReport {
  // Validate before writing: a report that breaks its own schema is a bug, not output.
  certificationSchema.parse(report);
  const render: { [K in keyof typeof REPORT_FILES]: () => string } = {
    json: () => `${JSON.stringify(report, null, 2)}\n`,
    markdown: () => renderSummaryMarkdown(report),
    html: () => renderHtml(report),
    junit: () => renderJunit(report),
    sarif: () => renderSarif(report),
    cbom: () => renderCbom(report),
    annotations: () =>
      renderAnnotations(report)
        .map((l) => `${l}\n`)
        .join(''),
  };
  // Render everything first, so a writer that throws leaves no half-written set behind.
  const texts = Object.fromEntries(Object.entries(render).map(([k, f]) => [k, f()])) as Record<keyof typeof REPORT_FILES, string>;
  const written = {} as WrittenReport;
  for (const key of Object.keys(REPORT_FILES) as (keyof typeof REPORT_FILES)[]) {
    written[key] = join(outDir, REPORT_FILES[key]);
    writeFileAtomic(written[key], texts[key]);
  }
  return written;
}
