// report sign / report verify: both signatures and every file digest; any
// single changed byte in any file fails, naming the file; a verifier written
// from the DSSE and in-toto specs alone accepts a fresh attestation.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTESTATION_FILE, attest, verifyDir } from '../../src/report/attest.ts';
import { generateSigningKeys, pae } from '../../src/report/dsse.ts';
import { writeReport } from '../../src/report/write.ts';
import { runCli } from '../support/cli.ts';
import { policedReport } from './fixture.ts';
import { independentVerify } from './independent-verify.ts';

const keys = generateSigningKeys();
let signed: string;

function copy(): string {
  const d = mkdtempSync(join(tmpdir(), 'signed-copy-'));
  cpSync(signed, d, { recursive: true });
  return d;
}

beforeAll(() => {
  signed = mkdtempSync(join(tmpdir(), 'signed-'));
  writeReport(signed, policedReport());
  writeFileSync(join(signed, ATTESTATION_FILE), attest(signed, keys.secret).line);
});

describe('DSSE', () => {
  it('PAE is the DSSE v1 encoding', () => {
    expect(Buffer.from(pae('http://example.com/HelloWorld', Buffer.from('hello world'))).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });
});

describe('in-toto statement', () => {
  it('a run passed with waivers is WARNED; configuration pins profile, seed, backends, policy and vectors', () => {
    const checks = policedReport().checks.filter((c) => !(c.id.startsWith('kat/acvp') && c.backend === 'liboqs'));
    const d = mkdtempSync(join(tmpdir(), 'warned-'));
    const r = policedReport(undefined, checks);
    expect(r.policy?.outcome).toBe('passed-with-waivers');
    writeReport(d, r);
    const { statement } = attest(d, keys.secret);
    expect(statement.predicate.result).toBe('WARNED');
    expect(statement.predicate.warnedTests).toContain('kat/wycheproof/ML-DSA-65/sign_noseed [liboqs]');
    expect(statement.predicate.failedTests).toEqual([]);
    const names = statement.predicate.configuration.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['profile', 'backend:noble', 'backend:liboqs', 'policy', 'tool']));
    expect(names.some((n) => n.startsWith('vectors:acvp/'))).toBe(true);
    expect(statement.predicate.configuration.find((c) => c.name === 'policy')?.digest?.sha256).toBe(r.policy?.digest);
    expect(statement.subject.map((s) => s.name)).toContain('mesh-under-test');
  });
});

describe('report verify', () => {
  it('passes on a fresh report with both signatures, and with either one required', () => {
    const v = verifyDir(signed, keys.pub, ['ed25519', 'ml-dsa-65']);
    expect(v.signatures).toEqual(['ed25519', 'ml-dsa-65']);
    expect(v.files.sort()).toEqual(
      readdirSync(signed)
        .filter((f) => f !== ATTESTATION_FILE)
        .sort(),
    );
    expect(v.result).toBe('FAILED');
    expect(verifyDir(signed, keys.pub, ['ml-dsa-65']).signatures).toEqual(['ml-dsa-65']);
  });

  it('a verifier written from the DSSE and in-toto specs alone accepts it', () => {
    expect(independentVerify(signed, writePub(signed))).toEqual({ verifiedAlgs: ['ed25519', 'ml-dsa-65'], subjects: 7 });
  });

  it('fails on any single changed byte in any file, naming the file', () => {
    for (const f of readdirSync(signed)) {
      const size = readFileSync(join(signed, f)).length;
      // First, last and a few positions between: every position of every file would be slow for ML-DSA.
      for (const pos of new Set([0, size - 1, Math.floor(size / 3), Math.floor((2 * size) / 3)])) {
        const d = copy();
        const b = readFileSync(join(d, f));
        b[pos] ^= 0x01;
        writeFileSync(join(d, f), b);
        expect(() => verifyDir(d, keys.pub, ['ed25519', 'ml-dsa-65']), `${f} byte ${pos}`).toThrow(
          new RegExp(`^${f.replace('.', '\\.')}:`),
        );
      }
    }
  });

  it('fails once a waiver the verdict relied on has expired', () => {
    expect(() => verifyDir(signed, keys.pub, ['ed25519'], new Date('2027-02-01T00:00:00Z'))).toThrow(
      /certification\.json: waiver for kat\/wycheproof\/ML-DSA-65\/sign_noseed .* expired on 2027-01-31/,
    );
  });

  it('fails with another key, and when a required signature is missing', () => {
    const other = generateSigningKeys();
    expect(() => verifyDir(signed, other.pub, ['ed25519'])).toThrow(/no ed25519 signature/);
    const d = copy();
    const env = JSON.parse(readFileSync(join(d, ATTESTATION_FILE), 'utf8'));
    env.signatures = env.signatures.slice(0, 1);
    writeFileSync(join(d, ATTESTATION_FILE), `${JSON.stringify(env)}\n`);
    expect(verifyDir(d, keys.pub, ['ed25519']).signatures).toEqual(['ed25519']);
    expect(() => verifyDir(d, keys.pub, ['ed25519', 'ml-dsa-65'])).toThrow(/no ml-dsa-65 signature/);
  });
});

function writePub(dir: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'pub-')), 'harness-signing.pub');
  writeFileSync(f, JSON.stringify(keys.pub));
  void dir;
  return f;
}

describe('CLI: keys init, report sign, report verify', () => {
  it('signs and verifies a directory, exit 1 naming a changed file', async () => {
    const k = mkdtempSync(join(tmpdir(), 'keys-'));
    expect((await runCli(['keys', 'init', '--dir', k])).code).toBe(0);
    expect((await runCli(['keys', 'init', '--dir', k])).code).toBe(2);
    const d = mkdtempSync(join(tmpdir(), 'cli-signed-'));
    writeReport(d, policedReport());
    const sign = await runCli(['report', 'sign', d, '--key', join(k, 'harness-signing.key')]);
    expect(sign.code, sign.stderr).toBe(0);
    const ok = await runCli(['report', 'verify', d, '--pub', join(k, 'harness-signing.pub'), '--require', 'ed25519,ml-dsa-65']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/OK: ed25519 \+ ml-dsa-65 signatures valid; 7 files match/);
    writeFileSync(join(d, 'summary.md'), `${readFileSync(join(d, 'summary.md'), 'utf8')} `);
    const bad = await runCli(['report', 'verify', d, '--pub', join(k, 'harness-signing.pub')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL: summary\.md: SHA-256 differs/);
  });
});
