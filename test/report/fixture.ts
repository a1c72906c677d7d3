// A report model fixture with every kind of evidence the writers read: KAT
// counts, a waived liboqs InvalidPrivateKey finding, an open FIPS failure,
// skips, latency, a chaos timeline, a kill matrix, negotiated suites and a
// fallback episode.
import type { CheckResult } from '../../src/check/evidence.ts';
import { evaluateReport } from '../../src/policy/evaluate.ts';
import { loadPolicySet } from '../../src/policy/rules.ts';
import { type CertificationReport, SCHEMA_VERSION, type Waiver } from '../../src/report/model.ts';

export const NOW = new Date('2026-12-01T12:00:00Z');

export const LIBOQS_WAIVER: Waiver = {
  id: 'kat/wycheproof/ML-DSA-65/sign_noseed',
  scope: { backend: 'liboqs' },
  reason: 'liboqs-js 0.15.1 does not range-check s1/s2 of ML-DSA private keys (FIPS 204 does not require it); upstream issue filed',
  owner: 'crypto-team@example.org',
  expires: '2027-01-31',
};

const cases = (total: number, failed = 0) => ({ total, passed: total - failed, failed, skipped: 0 });

export function fixtureChecks(): CheckResult[] {
  return [
    {
      id: 'crypto/roundtrip/ML-KEM-768',
      title: 'rt',
      status: 'pass',
      backend: 'noble',
      durationMs: 12,
      evidence: { seed: 5, cases: cases(12) },
    },
    {
      id: 'crypto/roundtrip/ML-KEM-768',
      title: 'rt',
      status: 'pass',
      backend: 'liboqs',
      durationMs: 9,
      evidence: { seed: 6, cases: cases(12) },
    },
    {
      id: 'kat/acvp/ML-KEM-768/encapsulationKeyCheck',
      title: 'ek',
      status: 'pass',
      backend: 'noble',
      durationMs: 30,
      evidence: { cases: cases(10), files: [{ path: 'acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json', sha256: 'a'.repeat(64) }] },
    },
    {
      id: 'kat/acvp/ML-KEM-768/encapsulationKeyCheck',
      title: 'ek',
      status: 'fail',
      backend: 'liboqs',
      durationMs: 31,
      reason: 'accepted an encapsulation key with a coefficient >= q',
      evidence: {
        cases: cases(10, 1),
        firstFailure: { case: 'tcId 7', file: 'acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json', tcId: 7, field: 'testPassed' },
      },
    },
    {
      id: 'kat/wycheproof/ML-DSA-65/sign_noseed',
      title: 'w',
      status: 'pass',
      backend: 'noble',
      durationMs: 800,
      evidence: { cases: cases(84) },
    },
    {
      id: 'kat/wycheproof/ML-DSA-65/sign_noseed',
      title: 'w',
      status: 'fail',
      backend: 'liboqs',
      durationMs: 814,
      reason: '2 of 84 Wycheproof ML-DSA-65 sign_noseed cases failed; flags: InvalidPrivateKey',
      evidence: {
        cases: cases(84, 2),
        firstFailure: { case: 'tcId 56', file: 'wycheproof/testvectors_v1/mldsa_65_sign_noseed_test.json', tcId: 56, field: 'sig' },
      },
    },
    {
      id: 'kat/drbg/ML-KEM-768',
      title: 'd',
      status: 'skip',
      backend: 'liboqs',
      durationMs: 0,
      reason: 'liboqs has no DRBG hook',
      evidence: { unsupported: true },
    },
    { id: 'kat/xwing', title: 'x', status: 'pass', backend: 'noble', durationMs: 4, evidence: { cases: cases(3) } },
    {
      id: 'slo/handshake-latency',
      title: 'latency',
      status: 'pass',
      backend: 'noble',
      durationMs: 5000,
      evidence: {
        latency: {
          backend: 'noble',
          loadLevel: 50,
          p50: 8,
          p95: 21,
          p99: 40,
          sloP95Ms: 100,
          histogram: [
            { le: 5, count: 40 },
            { le: 10, count: 300 },
            { le: 20, count: 120 },
            { le: 50, count: 30 },
            { le: 100, count: 3 },
          ],
        },
        negotiated: [{ suite: 'XWING-MLDSA65', nistLevel: 3, count: 493 }],
      },
    },
    {
      id: 'chaos/partition/majorities-ring',
      title: 'ring',
      status: 'pass',
      durationMs: 9000,
      evidence: {
        timeline: {
          durationMs: 9000,
          nemeses: [{ name: 'majorities-ring', startMs: 2000, endMs: 5000 }],
          membership: [
            { node: 'n1', atMs: 0, state: 'majority' },
            { node: 'n2', atMs: 0, state: 'majority' },
            { node: 'n3', atMs: 0, state: 'majority' },
            { node: 'n3', atMs: 2100, state: 'minority' },
            { node: 'n3', atMs: 5400, state: 'majority' },
          ],
          commits: [{ atMs: 3000, node: 'n1', event: 'revoke n9' }],
          convergedAtMs: 6100,
          outcome: 'valid',
        },
        fallbackEpisodes: [{ node: 'n3', reason: 'pqc disabled', durationMs: 1200, endedBy: 'recovered' }],
      },
    },
    {
      id: 'selftest/kat/acvp/*/encapsulationKeyCheck',
      title: 'every mutant aimed at kat/acvp/*/encapsulationKeyCheck makes it fail',
      status: 'pass',
      durationMs: 900,
      evidence: {
        family: 'kat/acvp/*/encapsulationKeyCheck',
        reference: { checks: 3, skipped: 0, failed: [] },
        mutants: [
          { mutant: 'mlkem-no-modulus-check', kind: 'backend', outcome: 'killed' },
          { mutant: 'reversed-ek', kind: 'backend', outcome: 'not-reached' },
        ],
      },
    },
    {
      id: 'selftest/kat',
      title: 'kill matrix',
      status: 'pass',
      durationMs: 2000,
      evidence: {
        killMatrix: {
          families: ['kat/acvp', 'crypto/implicit-rejection'],
          mutants: ['mlkem-no-modulus-check', 'rejection-without-secret'],
          cells: {
            'kat/acvp': { 'mlkem-no-modulus-check': 'killed', 'rejection-without-secret': 'n/a' },
            'crypto/implicit-rejection': { 'mlkem-no-modulus-check': 'n/a', 'rejection-without-secret': 'killed' },
          },
          killRate: 1,
        },
      },
    },
  ];
}

export function baseReport(checks: CheckResult[] = fixtureChecks(), over: Partial<CertificationReport> = {}): CertificationReport {
  const count = (s: string) => checks.filter((c) => c.status === s).length;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'pqc-mesh-harness', version: '0.1.0' },
    command: 'certify',
    verdict: 'fail',
    verdictReasons: [],
    startedAt: NOW.toISOString(),
    durationMs: 20_000,
    seed: 42,
    profile: 'release',
    environment: { node: 'v20.20.2', os: 'linux 6', cpu: 'test cpu', cores: 2 },
    backends: [
      { name: 'noble', version: '0.7.1', deterministic: true },
      { name: 'liboqs', version: '0.15.1', deterministic: false },
    ],
    vectorsDir: '/vectors',
    summary: { total: checks.length, passed: count('pass'), failed: count('fail'), skipped: count('skip') },
    checks,
    ...over,
  };
}

/** The fixture with the built-in policy applied and the liboqs waiver: one open FIPS failure, one waived hardening finding. */
export function policedReport(waivers: Waiver[] = [LIBOQS_WAIVER], checks?: CheckResult[]): CertificationReport {
  const r = baseReport(checks);
  r.policy = evaluateReport(loadPolicySet(), r, { waivers, now: NOW });
  r.verdict = r.policy.outcome === 'failed' ? 'fail' : 'pass';
  r.verdictReasons = r.policy.violations
    .filter((v) => v.action === 'fail' && v.waivedBy === undefined)
    .map((v) => `${v.rule}: ${v.message}`);
  return r;
}
