// The CLI contract: exit codes, the report files, the production guard.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificationSchema } from '../../src/report/model.ts';
import { runCli } from '../support/cli.ts';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

describe('pqc-harness kat', () => {
  it('passes with the default backends and writes a valid report and summary', async () => {
    const out = tmp('kat-default-');
    const r = await runCli(['kat', '--out', out, '--seed', '5', '--only', 'crypto/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS: \d+ passed, 0 failed/m);
    const report = certificationSchema.parse(JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8')));
    expect(report.verdict).toBe('pass');
    expect(report.seed).toBe(5);
    expect(report.backends.map((b) => b.name)).toEqual(['noble', 'liboqs']);
    expect(report.backends.every((b) => /\d+\.\d+/.test(b.version))).toBe(true);
    expect(report.checks.some((c) => c.id === 'crypto/roundtrip/ML-KEM-768' && c.backend === 'liboqs' && c.status === 'pass')).toBe(true);
    // liboqs-js has no context API: reported as a skip with the reason, not hidden.
    const ctx = report.checks.find((c) => c.id === 'crypto/context/ML-DSA-65' && c.backend === 'liboqs');
    expect(ctx?.status).toBe('skip');
    expect(ctx?.reason).toMatch(/context/);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/PQC certification \(kat, pr\): PASS/);
  }, 120_000);

  it('the same seed gives the same property inputs (replayable)', async () => {
    const [a, b] = [tmp('seed-a-'), tmp('seed-b-')];
    await runCli(['kat', '--backend', 'noble', '--out', a, '--seed', '99', '--only', 'crypto/interop/ML-KEM']);
    await runCli(['kat', '--backend', 'noble', '--out', b, '--seed', '99', '--only', 'crypto/interop/ML-KEM']);
    const seeds = (d: string) =>
      JSON.parse(readFileSync(join(d, 'certification.json'), 'utf8')).checks.map((c: { evidence: { seed: number } }) => c.evidence.seed);
    expect(seeds(a)).toEqual(seeds(b));
    expect(seeds(a).length).toBeGreaterThan(0);
  }, 60_000);
});

describe('exit code 2: usage, configuration and input errors', () => {
  it('refuses the mock under X0TTA6BL4_PRODUCTION, naming the guard', async () => {
    const r = await runCli(['kat', '--backend', 'mock', '--out', tmp('guard-')], { X0TTA6BL4_PRODUCTION: '1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/production guard: X0TTA6BL4_PRODUCTION is on and X0TTA6BL4_ALLOW_MOCK_PQC is off/);
  });

  it('rejects an unknown spelling of a guard flag instead of reading it as off', async () => {
    const r = await runCli(['kat', '--backend', 'noble', '--out', tmp('flag-')], { X0TTA6BL4_PRODUCTION: 'enabled' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/X0TTA6BL4_PRODUCTION="enabled" is not a recognised boolean/);
  });

  it('rejects a bad profile and a bad seed', async () => {
    expect((await runCli(['kat', '--profile', 'nightly'])).code).toBe(2);
    const r = await runCli(['kat', '--seed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/seed must be an integer/);
  });

  it('names every member a user backend module is missing', async () => {
    const dir = tmp('badmod-');
    mkdirSync(dir, { recursive: true });
    const mod = join(dir, 'half.mjs');
    writeFileSync(mod, "export default { name: 'half', kems: [], kem() {} };\n");
    const r = await runCli(['kat', '--backend', mod, '--out', tmp('badmod-out-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /does not implement CryptoBackend: missing or wrong version \(string\), deterministic \(boolean\), sigs .*sig\(alg\)/,
    );
  });

  it('reports a backend module that does not exist', async () => {
    const r = await runCli(['kat', '--backend', './no/such/backend']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backend module not found: \.\/no\/such\/backend/);
  });
});
