// results.sarif: SARIF 2.1.0 for code-scanning dashboards. Rule ids are the
// check families (stable across algorithms and runs); one result per failing
// check; level from severity; waived findings stay, marked as accepted
// suppressions. Kept within GitHub's upload limits by construction.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { CertificationReport, ReportedCheck } from './model.ts';
import { familyOf } from '../check/family.ts';
import { type Severity, severityOf } from './severity.ts';
import { checkLabel, evidenceSummary, truncate } from './text.ts';

/** GitHub code scanning: at most 25 000 results per run, 20 runs per file, 10 MB gzip-compressed upload. */
export const SARIF_LIMITS = { resultsPerRun: 25_000, runs: 20, gzipBytes: 10 * 1024 * 1024 } as const;

const LEVEL: Record<Severity, 'error' | 'warning'> = {
  fips: 'error',
  protocol: 'error',
  harness: 'error',
  hardening: 'warning',
  slo: 'warning',
};

function location(c: ReportedCheck): Record<string, unknown> {
  const file = (c.evidence.firstFailure as { file?: string } | undefined)?.file;
  // A result needs a location; without a vector file the finding is about the report itself.
  const uri = file && !file.startsWith('/') ? file : 'certification.json';
  return {
    physicalLocation: { artifactLocation: { uri, uriBaseId: file ? 'VECTORS' : 'REPORTDIR' } },
    logicalLocations: [{ fullyQualifiedName: checkLabel(c), kind: 'test' }],
  };
}

function result(c: ReportedCheck, r: CertificationReport): Record<string, unknown> {
  const sev = severityOf(c.id);
  const v = r.policy?.violations.find((x) => x.check === c.id && x.backend === c.backend && x.waivedBy !== undefined);
  const w = v?.waivedBy !== undefined ? r.policy?.waivers[v.waivedBy] : undefined;
  return {
    ruleId: familyOf(c.id),
    level: sev ? LEVEL[sev.severity] : 'error',
    message: { text: truncate(`${checkLabel(c)}: ${evidenceSummary(c)}`, 2000) },
    locations: [location(c)],
    partialFingerprints: { 'pqcCheck/v1': createHash('sha256').update(checkLabel(c)).digest('hex') },
    properties: { checkId: c.id, backend: c.backend ?? '', severity: sev?.severity ?? 'unclassified', source: sev?.source ?? '' },
    ...(w
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${w.reason} (owner ${w.owner}, expires ${w.expires})` }] }
      : {}),
  };
}

export function buildSarif(r: CertificationReport, maxResults: number = SARIF_LIMITS.resultsPerRun): Record<string, unknown> {
  const failed = r.checks.filter((c) => c.status === 'fail');
  const kept = failed.slice(0, maxResults);
  // One pass: the first check of each family names the family's severity.
  const firstOfFamily = new Map<string, ReportedCheck>();
  for (const c of r.checks) if (!firstOfFamily.has(familyOf(c.id))) firstOfFamily.set(familyOf(c.id), c);
  const families = [...firstOfFamily.keys()].sort();
  const rules = families.map((f) => {
    const sev = severityOf(firstOfFamily.get(f)?.id ?? f);
    return {
      id: f,
      name: f.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')),
      shortDescription: { text: `pqc-harness check family ${f}` },
      defaultConfiguration: { level: sev ? LEVEL[sev.severity] : 'error' },
      properties: { severity: sev?.severity ?? 'unclassified', source: sev?.source ?? '' },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: r.tool.name, version: r.tool.version, rules } },
        automationDetails: { id: `pqc-harness/${r.command}/${r.profile}/` },
        results: kept.map((c) => result(c, r)),
        properties: { verdict: r.verdict, seed: r.seed, omittedResults: failed.length - kept.length },
      },
    ],
  };
}

/** The SARIF text, halving the result count until the upload fits GitHub's compressed-size limit. */
export function renderSarif(r: CertificationReport): string {
  let max: number = SARIF_LIMITS.resultsPerRun;
  for (;;) {
    const text = `${JSON.stringify(buildSarif(r, max), null, 2)}\n`;
    if (gzipSync(text).length <= SARIF_LIMITS.gzipBytes || max === 0) return text;
    max = Math.floor(max / 2);
  }
}
