// The expected-results baseline: accepted failures pass the gate, an
// unlisted failure and an XPASS fail it with a diff, a bad file is an error
// naming the file and field, and the reference mesh passes against the
// repository's empty expected.json.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/evidence.ts';
import { runHarness } from '../../src/harness/certify.ts';
import { compareWithBaseline, loadBaseline } from '../../src/harness/expected.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'expected-'));
const result = (id: string, status: CheckResult['status'], reason?: string): CheckResult => ({
  id,
  title: id,
  status,
  durationMs: 1,
  evidence: {},
  ...(reason ? { reason } : {}),
});
const baselineFile = (content: unknown) => {
  const f = join(dir(), 'expected.json');
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};

describe('compareWithBaseline', () => {
  const baseline = {
    mesh: 'vendor-x',
    expectedFailures: [
      { check: 'negative/a', reason: 'known: vendor x answers policy here' },
      { check: 'negative/b', reason: 'fixed upstream?' },
    ],
  };
  it('accepts listed failures, reports unlisted ones and XPASS as a diff', () => {
    const c = compareWithBaseline(
      [result('negative/a', 'fail', 'violates 3.2.2: x'), result('negative/b', 'pass'), result('negative/c', 'fail', 'violates 4.1.2: y')],
      baseline,
    );
    expect(c.accepted).toEqual(['negative/a']);
    expect(c.unexpected).toEqual(['negative/c']);
    expect(c.xpass).toEqual(['negative/b']);
    expect(c.diff).toEqual([
      '+ negative/c: failed, not in the baseline (violates 4.1.2: y)',
      '- negative/b: XPASS, listed as expected to fail (fixed upstream?) but passed: remove it from the baseline',
    ]);
  });
  it('does not judge a listed check that skipped or did not run', () => {
    const c = compareWithBaseline([result('negative/b', 'skip')], baseline);
    expect(c.diff).toEqual([]);
  });
});

describe('loadBaseline', () => {
  it('names the file and field of a bad entry', () => {
    const f = baselineFile({ mesh: 'm', expectedFailures: [{ check: 'negative/a' }] });
    expect(() => loadBaseline(f)).toThrow(`${f}: expectedFailures.0.reason`);
  });
  it('refuses unknown fields, duplicates and unreadable JSON', () => {
    expect(() => loadBaseline(baselineFile({ mesh: 'm', expectedFailures: [], extra: 1 }))).toThrow(/top level|extra/);
    const dup = { check: 'x', reason: 'r' };
    expect(() => loadBaseline(baselineFile({ mesh: 'm', expectedFailures: [dup, dup] }))).toThrow(
      'expectedFailures.1.check: x is listed twice',
    );
    expect(() => loadBaseline(baselineFile('{'))).toThrow('cannot read the expected-results baseline');
  });
  it("the repository's expected.json is the reference mesh's, and empty", () => {
    expect(loadBaseline(resolve(import.meta.dirname, '../../expected.json'))).toEqual({ mesh: 'reference', expectedFailures: [] });
  });
});

describe('certify with a baseline', () => {
  const base = { command: 'certify' as const, backends: ['noble'], profile: 'pr' as const, seed: 5, only: 'negative/records/d', jobs: 1 };
  it('passes the reference against the empty baseline', async () => {
    const r = await runHarness({ ...base, outDir: dir(), expected: resolve(import.meta.dirname, '../../expected.json') });
    expect(r.report.checks.length).toBeGreaterThan(0);
    expect(r.report.verdict).toBe('pass');
  }, 60_000);
  it('fails with XPASS when a baseline lists a check that passes', async () => {
    const f = baselineFile({ mesh: 'reference', expectedFailures: [{ check: 'negative/records/duplicate', reason: 'stale entry' }] });
    const r = await runHarness({ ...base, outDir: dir(), expected: f });
    expect(r.report.verdict).toBe('fail');
    expect(r.report.verdictReasons.join('\n')).toContain('- negative/records/duplicate: XPASS');
  }, 60_000);
});
