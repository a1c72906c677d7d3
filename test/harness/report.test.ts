// Report files: schema-valid, atomic, readable summary.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type CertificationReport } from '../../src/report/model.ts';
import { REPORT_FILES, writeReport } from '../../src/report/write.ts';

function report(over: Partial<CertificationReport> = {}): CertificationReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'pqc-mesh-harness', version: '0.1.0' },
    command: 'kat',
    verdict: 'fail',
    verdictReasons: ['1 check(s) failed: kat/x [noble]'],
    startedAt: new Date(0).toISOString(),
    durationMs: 10,
    seed: 7,
    profile: 'pr',
    environment: { node: 'v20', os: 'linux', cpu: 'cpu', cores: 2 },
    backends: [{ name: 'noble', version: '1', deterministic: true }],
    summary: { total: 1, passed: 0, failed: 1, skipped: 0 },
    checks: [
      {
        id: 'kat/x',
        title: 't',
        status: 'fail',
        backend: 'noble',
        durationMs: 1,
        reason: 'k differs',
        evidence: { firstFailure: { case: 'tcId 3', file: 'a.json', tcId: 3, field: 'k', offset: 5, expected: 'aa', actual: 'bb' } },
      },
    ],
    ...over,
  };
}

describe('writeReport', () => {
  it('writes every report file, leaving no temporary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    writeReport(dir, report());
    expect(readdirSync(dir).sort()).toEqual(Object.values(REPORT_FILES).sort());
    expect(JSON.parse(readFileSync(join(dir, 'certification.json'), 'utf8')).seed).toBe(7);
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toMatch(/❌ PQC certification \(kat, pr\): FAIL/);
    expect(md).toMatch(
      /`kat\/x` \(noble\) \| unclassified \| k differs; file: a.json; tcId: 3; case: tcId 3; field: k; offset: 5; expected: aa; actual: bb/,
    );
  });

  it('refuses a report that breaks its own schema and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-bad-'));
    expect(() => writeReport(dir, report({ seed: 1.5 }))).toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});
