// Writes a run's report files into the output directory.
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.ts';
import { renderSummaryMarkdown } from './markdown.ts';
import { certificationSchema, type CertificationReport } from './model.ts';

export interface WrittenReport {
  json: string;
  markdown: string;
}

export function writeReport(outDir: string, report: CertificationReport): WrittenReport {
  // Validate before writing: a report that breaks its own schema is a bug, not output.
  certificationSchema.parse(report);
  const json = join(outDir, 'certification.json');
  const markdown = join(outDir, 'summary.md');
  writeFileAtomic(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(markdown, renderSummaryMarkdown(report));
  return { json, markdown };
}
