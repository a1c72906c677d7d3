// Every report file validates against its published schema, and each
// validator is shown to reject a broken file (so a pass means something).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/evidence.ts';
import { MAX_ANNOTATIONS, renderAnnotations } from '../../src/report/annotations.ts';
import { renderCbom } from '../../src/report/cbom.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { renderSummaryMarkdown, SUMMARY_MAX_BYTES } from '../../src/report/markdown.ts';
import { renderJsonSchema, SCHEMA_FILE } from '../../src/report/schema.ts';
import { buildSarif, renderSarif, SARIF_LIMITS } from '../../src/report/sarif.ts';
import { REPORT_FILES, writeReport } from '../../src/report/write.ts';
import { baseReport, policedReport } from './fixture.ts';

const require = createRequire(import.meta.url);
// CommonJS modules whose module.exports is the class or function itself.
const Ajv2020 = require('ajv/dist/2020') as typeof import('ajv/dist/2020.js').default;
const AjvDraft04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
const JUNIT_XSD = readFileSync(new URL('./schemas/junit.xsd', import.meta.url), 'utf8');
// SARIF 2.1.0 JSON Schema (OASIS, errata 01 / rtm.5) as shipped in the @microsoft/jest-sarif package.
const SARIF_SCHEMA = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

async function junitErrors(xml: string): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: JUNIT_XSD }],
  });
  return r.errors.map((e) => e.rawMessage);
}

function sarifValidator() {
  // The SARIF schema is JSON Schema draft-04; its language pattern is not valid with the u flag.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(SARIF_SCHEMA);
}

/** Many failing checks, to push every writer against its limits. */
function manyFailures(n: number): CheckResult[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `kat/acvp/ML-KEM-768/fn-${i % 40}`,
    title: 't',
    status: 'fail' as const,
    backend: `backend-${i}`,
    durationMs: 1,
    reason: `mismatch ${'x'.repeat(60)} | pipe ${i}`,
    evidence: {
      firstFailure: { case: `tcId ${i}`, file: 'acvp/a.json', tcId: i, field: 'k', expected: 'aa'.repeat(16), actual: 'bb'.repeat(16) },
    },
  }));
}

describe('certification.json', () => {
  it('the committed JSON Schema is the one generated from the zod model (run npm run schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderJsonSchema());
  });
  it('a written report validates against the published schema; a broken one does not', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    const dir = mkdtempSync(join(tmpdir(), 'report-json-'));
    writeReport(dir, policedReport());
    const doc = JSON.parse(readFileSync(join(dir, 'certification.json'), 'utf8'));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...doc, verdict: 'maybe' })).toBe(false);
    expect(validate({ ...doc, policy: { ...doc.policy, outcome: 'passed-mostly' } })).toBe(false);
  });
  it('writes every file and no temporary ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-all-'));
    writeReport(dir, policedReport());
    expect(readdirSync(dir).sort()).toEqual(Object.values(REPORT_FILES).sort());
  });
});

describe('junit.xml', () => {
  it('validates against the Ant/Surefire JUnit schema: one testcase per check, classname by family', async () => {
    const r = policedReport();
    const xml = renderJunit(r);
    expect(await junitErrors(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)?.length).toBe(r.checks.length);
    expect(xml).toMatch(/classname="kat\/wycheproof\/\*\/sign_noseed"/);
    expect(xml).toMatch(/<skipped message="liboqs has no DRBG hook"\/>/);
    expect(xml).toMatch(/<failure message="accepted an encapsulation key[^"]*" type="fips">/);
    expect(xml).toMatch(/waived by crypto-team@example.org until 2027-01-31/);
  });
  it('the schema rejects a malformed file, and control characters in evidence stay valid XML', async () => {
    expect((await junitErrors(renderJunit(policedReport()).replace(/ classname="[^"]*"/, ''))).length).toBeGreaterThan(0);
    const nasty = baseReport([{ id: 'kat/x', title: 't', status: 'fail', durationMs: 1, reason: 'bad \u0001 <&> "quoted"', evidence: {} }]);
    expect(await junitErrors(renderJunit(nasty))).toEqual([]);
  });
});

describe('results.sarif', () => {
  it('validates against SARIF 2.1.0: rule ids are families, one result per failing check, level from severity', () => {
    const validate = sarifValidator();
    const log = JSON.parse(renderSarif(policedReport()));
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = log.runs[0].results;
    expect(results.map((x: { ruleId: string; level: string }) => `${x.ruleId}:${x.level}`).sort()).toEqual([
      'kat/acvp/*/encapsulationKeyCheck:error',
      'kat/wycheproof/*/sign_noseed:warning',
    ]);
    const waived = results.find((x: { ruleId: string }) => x.ruleId === 'kat/wycheproof/*/sign_noseed');
    expect(waived.suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ...results[0], level: 'fatal' }] }] })).toBe(false);
  });
  it('stays within GitHub limits: at most 25 000 results, 20 runs, 10 MB gzip', () => {
    const r = baseReport(manyFailures(SARIF_LIMITS.resultsPerRun + 500));
    const text = renderSarif(r);
    const log = JSON.parse(text);
    expect(log.runs.length).toBeLessThanOrEqual(SARIF_LIMITS.runs);
    expect(log.runs[0].results.length).toBe(SARIF_LIMITS.resultsPerRun);
    expect(log.runs[0].properties.omittedResults).toBe(500);
    expect(gzipSync(text).length).toBeLessThanOrEqual(SARIF_LIMITS.gzipBytes);
    expect(gunzipSync(gzipSync(text)).toString()).toBe(text);
    expect(buildSarif(r, 10).runs).toBeDefined();
  });
});

describe('cbom.json', () => {
  it('is CycloneDX 1.6 valid against the library schema and records what ran and was negotiated', async () => {
    const text = renderCbom(policedReport());
    const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
    expect(await validator.validate(text)).toBeNull();
    const bom = JSON.parse(text);
    expect(bom.specVersion).toBe('1.6');
    const byRef = new Map(bom.components.map((c: { 'bom-ref': string }) => [c['bom-ref'], c]));
    const prop = (ref: string, name: string) =>
      (byRef.get(ref) as { properties: { name: string; value: string }[] }).properties.find((p) => p.name === name)?.value;
    expect(prop('algorithm/ML-KEM-768', 'pqc-harness:passedBy')).toBe('noble');
    expect(prop('algorithm/ML-KEM-768', 'pqc-harness:failedBy')).toBe('liboqs');
    expect((byRef.get('algorithm/ML-DSA-65') as { cryptoProperties: unknown }).cryptoProperties).toMatchObject({
      assetType: 'algorithm',
      algorithmProperties: { primitive: 'signature', nistQuantumSecurityLevel: 3 },
    });
    expect(prop('protocol/pqc-mesh-v1', 'pqc-harness:negotiated:XWING-MLDSA65')).toBe('493');
    expect(prop('protocol/pqc-mesh-v1', 'pqc-harness:fallback:totalMs')).toBe('1200');
    expect(byRef.get('backend/liboqs')).toMatchObject({ type: 'library', version: '0.15.1' });
    bom.components[0].cryptoProperties = { assetType: 'quantum-magic' };
    expect(await validator.validate(JSON.stringify(bom))).not.toBeNull();
  });
});

describe('summary.md', () => {
  it('shows severities and keeps waived findings visible', () => {
    const md = renderSummaryMarkdown(policedReport());
    expect(md).toMatch(/## Failed[\s\S]*`kat\/acvp\/ML-KEM-768\/encapsulationKeyCheck` \(liboqs\) \| fips \|/);
    expect(md).toMatch(
      /## Waived findings[\s\S]*`kat\/wycheproof\/ML-DSA-65\/sign_noseed` \(liboqs\) \| hardening \|.*crypto-team@example.org, until 2027-01-31/,
    );
  });
  it('stays at most 1024 KiB, cut at whole rows with an "N more" line, never mid-table', () => {
    const md = renderSummaryMarkdown(baseReport(manyFailures(20_000)));
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    const more = /_(\d+) more failed checks not shown/.exec(md);
    expect(more).not.toBeNull();
    const rows = md.split('\n').filter((l) => l.startsWith('| `kat/acvp/ML-KEM-768/fn-'));
    expect(rows.length + Number(more?.[1])).toBe(20_000);
    // Every table row is whole: starts and ends with a pipe and has the header's 3 columns.
    for (const l of rows) expect(l.replace(/\\\|/g, '').split('|').length).toBe(5);
    expect(md.trimEnd().endsWith('</sub>')).toBe(true);
  });
});

describe('GitHub annotations', () => {
  it('at most 10 per step, the rest summarised', () => {
    const lines = renderAnnotations(baseReport(manyFailures(40)));
    expect(lines.length).toBe(MAX_ANNOTATIONS);
    expect(lines[MAX_ANNOTATIONS - 1]).toMatch(/^::notice title=31 more findings::/);
    expect(lines[0]).toMatch(/^::error file=acvp\/a.json,title=fips%3A kat\/acvp\/ML-KEM-768\/fn-0 \[backend-0\]::/);
  });
  it('a waived finding is a warning, an open one an error', () => {
    const lines = renderAnnotations(policedReport());
    expect(lines.filter((l) => l.startsWith('::error')).length).toBe(1);
    expect(lines.some((l) => l.startsWith('::warning') && l.includes('waived'))).toBe(true);
  });
});
