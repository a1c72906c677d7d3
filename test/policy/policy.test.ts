// Policies and waivers: the built-in policy tests, waiver rules (mandatory
// expiry at most 90 days ahead, expired fails, unmatched warns), clear errors
// for bad policy files, and the liboqs InvalidPrivateKey finding end to end.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateReport } from '../../src/policy/evaluate.ts';
import { loadPolicySet, parsePolicy } from '../../src/policy/rules.ts';
import { runPolicyTests } from '../../src/policy/test-runner.ts';
import { parseWaivers } from '../../src/policy/waivers.ts';
import { runCli, REPO } from '../support/cli.ts';
import { baseReport, LIBOQS_WAIVER, NOW } from '../report/fixture.ts';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const builtin = loadPolicySet();

describe('policy test (the built-in tests)', () => {
  it('every case of policies/tests passes', () => {
    const results = runPolicyTests();
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
  it('a case whose expectation is wrong is reported, naming what differed', () => {
    const f = join(tmp('ptest-'), 't.yaml');
    writeFileSync(
      f,
      [
        'apiVersion: pqc-harness/policy-test/v1',
        'cases:',
        '  - name: wrong',
        '    report: { checks: [{ id: kat/acvp/ML-KEM-768/keyGen, status: fail, backend: noble }] }',
        '    expect: { outcome: passed }',
      ].join('\n'),
    );
    const [r] = runPolicyTests(f);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/outcome failed, expected passed; rules fired \[fips-required\], expected \[\]/);
  });
});

describe('waivers', () => {
  it('expires is mandatory and at most 90 days ahead, errors naming the field', () => {
    const w = { ...LIBOQS_WAIVER };
    expect(() => parseWaivers({ waivers: [{ ...w, expires: undefined }] }, 'w.yaml', NOW)).toThrow(
      /w\.yaml: invalid waivers\n {2}waivers\.0\.expires/,
    );
    expect(() => parseWaivers({ waivers: [{ ...w, expires: '2027-03-15' }] }, 'w.yaml', NOW)).toThrow(
      /waivers\.0\.expires: 2027-03-15 is more than 90 days ahead/,
    );
    expect(() => parseWaivers({ waivers: [{ ...w, expires: 'soon' }] }, 'w.yaml', NOW)).toThrow(/"soon" is not an ISO date/);
    expect(() => parseWaivers({ waivers: [{ ...w, owner: '' }] }, 'w.yaml', NOW)).toThrow(/waivers\.0\.owner/);
    expect(parseWaivers({ waivers: [w] }, 'w.yaml', NOW)).toHaveLength(1);
  });
  it('an expired waiver fails the run, does not waive, and names owner and date', () => {
    const r = baseReport();
    const p = evaluateReport(builtin, r, { waivers: [{ ...LIBOQS_WAIVER, expires: '2026-11-30' }], now: NOW });
    expect(p.outcome).toBe('failed');
    expect(p.waivers[0].status).toBe('expired');
    expect(p.violations.find((v) => v.rule === 'waiver-expired')?.message).toMatch(/owner crypto-team@example.org\) expired on 2026-11-30/);
    expect(p.violations.find((v) => v.check === 'kat/wycheproof/ML-DSA-65/sign_noseed')?.waivedBy).toBeUndefined();
  });
  it('a waiver that matches nothing is a warning telling you to remove it', () => {
    const checks = baseReport().checks.filter((c) => c.status !== 'fail');
    const p = evaluateReport(builtin, baseReport(checks), { waivers: [LIBOQS_WAIVER], now: NOW });
    expect(p.outcome).toBe('passed');
    expect(p.waivers[0].status).toBe('unmatched');
    expect(p.warnings.join()).toMatch(/matches no finding: the finding is gone, remove the waiver/);
  });
  it('waived findings stay visible in the policy section', () => {
    const p = evaluateReport(builtin, baseReport(), { waivers: [LIBOQS_WAIVER], now: NOW });
    const v = p.violations.find((x) => x.check === 'kat/wycheproof/ML-DSA-65/sign_noseed');
    expect(v).toMatchObject({ rule: 'hardening-findings', severity: 'hardening', backend: 'liboqs', waivedBy: 0 });
    expect(p.outcome).toBe('failed'); // the fixture's FIPS failure is not waived
  });
});

describe('policy files', () => {
  it('bad CEL, a wrong result type and a malformed file are errors naming the file and rule', () => {
    const head = 'apiVersion: pqc-harness/policy/v1\nkind: ReportPolicy\nrules:\n';
    expect(() => parsePolicy(`${head}  - { id: r1, message: m, severity: fips, deny: "report.checks.(" }`, 'p.yaml')).toThrow(
      /p\.yaml: rule r1: deny is not valid CEL/,
    );
    expect(() => parsePolicy(`${head}  - { id: r1, message: m, severity: fips }`, 'p.yaml')).toThrow(/exactly one of deny or violations/);
    expect(() => parsePolicy(`${head}  - { id: r1, message: m, severity: severe, deny: "true" }`, 'p.yaml')).toThrow(/rules\.0\.severity/);
    const notBool = parsePolicy(`${head}  - { id: r2, message: m, severity: fips, deny: "size(report.checks)" }`, 'q.yaml');
    expect(() => evaluateReport({ policies: [notBool], sources: ['q.yaml'], digest: '0'.repeat(64) }, baseReport())).toThrow(
      /q\.yaml: rule r2: deny must evaluate to a bool/,
    );
  });
  it('a user policy can accept hardening findings visibly, as warnings', () => {
    const dir = tmp('policy-');
    const text = readFileSync(join(REPO, 'policies/report.yaml'), 'utf8').replace(
      /(- id: hardening-findings\n\s+message: [^\n]+\n\s+severity: check\n)/,
      '$1    action: warn\n',
    );
    writeFileSync(join(dir, 'report.yaml'), text);
    const checks = baseReport().checks.filter((c) => !c.id.startsWith('kat/acvp'));
    const p = evaluateReport(loadPolicySet(dir), baseReport(checks), { now: NOW });
    expect(p.outcome).toBe('passed');
    expect(p.warnings.join()).toMatch(/warning \(hardening-findings\).*InvalidPrivateKey/);
    expect(p.digest).not.toBe(builtin.digest);
  });
});

/** ../shared/wycheproof-full beside the checkout (CI), or /work/shared. */
function fullWycheproof(): string | undefined {
  for (const d of [process.env.PQC_WYCHEPROOF_FULL, resolve(REPO, '../shared/wycheproof-full'), '/work/shared/wycheproof-full'])
    if (d && existsSync(d)) return d;
  return undefined;
}

/** A release-size vectors directory as ../shared/wycheproof-full/README says: the vectors plus the full set as wycheproof/. */
function releaseVectors(full: string): string {
  const d = tmp('vectors-release-');
  const base = process.env.PQC_VECTORS_DIR;
  if (base) for (const f of readdirSync(base)) if (f !== 'wycheproof') symlinkSync(realpathSync(join(base, f)), join(d, f));
  symlinkSync(realpathSync(full), join(d, 'wycheproof'));
  return d;
}

const FULL = fullWycheproof();
const inCi = process.env.CI === 'true';

describe.skipIf(!FULL && !inCi)('certify with the full Wycheproof set: the liboqs InvalidPrivateKey finding', () => {
  it('fails as a hardening finding; a future waiver makes it PASSED-with-waivers; an expired one fails', async () => {
    expect(FULL, 'the full Wycheproof set (../shared/wycheproof-full)').toBeDefined();
    const vectors = releaseVectors(FULL as string);
    const dir = tmp('certify-waiver-');
    const args = (out: string) => [
      'certify',
      '-b',
      'liboqs',
      '--only',
      'kat/wycheproof/ML-DSA-65/sign',
      '--vectors',
      vectors,
      '-o',
      out,
      '--seed',
      '3',
      '-j',
      '1',
    ];
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const waiverFile = (expires: string) => {
      const f = join(dir, `waivers-${expires}.yaml`);
      writeFileSync(
        f,
        `waivers:\n  - id: kat/wycheproof/ML-DSA-65/sign_noseed\n    scope: { backend: liboqs }\n    reason: liboqs-js does not range-check s1/s2\n    owner: crypto-team\n    expires: "${expires}"\n`,
      );
      return f;
    };
    const [plain, waived, expired, tooLong] = await Promise.all([
      runCli(args(join(dir, 'plain'))),
      runCli([...args(join(dir, 'waived')), '--waivers', waiverFile(day(30))]),
      runCli([...args(join(dir, 'expired')), '--waivers', waiverFile(day(-1))]),
      runCli([...args(join(dir, 'long')), '--waivers', waiverFile(day(120))]),
    ]);
    expect(plain.code, plain.stderr).toBe(1);
    expect(plain.stdout).toMatch(/hardening-findings \(hardening\).*kat\/wycheproof\/ML-DSA-65\/sign_noseed \[liboqs\].*InvalidPrivateKey/);
    expect(waived.code, waived.stdout + waived.stderr).toBe(0);
    expect(waived.stdout).toMatch(/^PASS \(with waivers\)/);
    const report = JSON.parse(readFileSync(join(dir, 'waived', 'certification.json'), 'utf8'));
    expect(report.policy.outcome).toBe('passed-with-waivers');
    expect(report.checks.find((c: { id: string }) => c.id === 'kat/wycheproof/ML-DSA-65/sign_noseed').status).toBe('fail');
    expect(readFileSync(join(dir, 'waived', 'summary.md'), 'utf8')).toMatch(/PASS with waivers[\s\S]*## Waived findings/);
    expect(readFileSync(join(dir, 'waived', 'results.sarif'), 'utf8')).toMatch(/"status": "accepted"/);
    expect(expired.code).toBe(1);
    expect(expired.stdout).toMatch(/waiver-expired/);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/more than 90 days ahead/);
  }, 180_000);
});

describe('policy check (deployment configs) and policy test (CLI)', () => {
  it('exit 0 on a good production config, 1 naming the file and rule on a bad one, 1 on an expired waiver', async () => {
    const dir = tmp('configs-');
    mkdirSync(dir, { recursive: true });
    const good = join(dir, 'good.yaml');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(good, 'id: n1\nbackend: auto\nadminTokenFile: t\nfallback: { allowClassical: false, ttlSeconds: 600 }\n');
    writeFileSync(bad, 'id: n2\nbackend: mock\nfallback: { allowClassical: true, ttlSeconds: 7200 }\n');
    const expiredWaiver = join(dir, 'w.yaml');
    writeFileSync(expiredWaiver, 'waivers:\n  - { id: admin-token-set, reason: r, owner: ops, expires: "2020-01-01" }\n');
    const [ok, ko, exp, tests] = await Promise.all([
      runCli(['policy', 'check', '--config', good, '--production']),
      runCli(['policy', 'check', '--config', good, '--config', bad, '--production']),
      runCli(['policy', 'check', '--config', good, '--waivers', expiredWaiver]),
      runCli(['policy', 'test']),
    ]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ko.code).toBe(1);
    for (const rule of ['no-mock-in-production', 'fallback-ttl-at-most-1h', 'classical-fallback-off-in-production', 'admin-token-set'])
      expect(ko.stdout).toMatch(new RegExp(`${rule} \\(\\w+\\): ${bad.replace(/[.]/g, '\\.')}:`));
    expect(exp.code).toBe(1);
    expect(exp.stdout).toMatch(/waiver-expired/);
    expect(tests.code, tests.stdout).toBe(0);
    expect(tests.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  }, 120_000);
});
