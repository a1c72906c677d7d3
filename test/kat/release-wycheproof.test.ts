// The release profile over the full upstream Wycheproof set, through the real
// CLI: a release-size vectors directory (the shared vectors plus
// wycheproof-full as wycheproof/, made of links) and only the Wycheproof
// family, on liboqs (fast enough for npm test). liboqs-js signs with ML-DSA
// private keys whose s1 or s2 is out of range; Wycheproof marks those
// sign_noseed cases InvalidPrivateKey/invalid, and the report must say so by
// tcId. Skips locally without ../shared/wycheproof-full; fails in CI.
import { mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { FULL_WYCHEPROOF, HAVE_FULL_WYCHEPROOF, HAVE_VECTORS, SHARED_VECTORS, describeWithData } from './setup.ts';

/** ../shared/wycheproof-full/README.md: `../vectors` plus the full set as `wycheproof/`, all links. */
function releaseSizeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'release-vectors-'));
  for (const name of readdirSync(SHARED_VECTORS)) symlinkSync(join(SHARED_VECTORS, name), join(dir, name));
  symlinkSync(FULL_WYCHEPROOF, join(dir, 'wycheproof'));
  return dir;
}

/** tcIds of the InvalidPrivateKey cases in each upstream sign_noseed file, read from the files themselves. */
function invalidPrivateKeyCases(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of ['44', '65', '87']) {
    const file = `testvectors_v1/mldsa_${p}_sign_noseed_test.json`;
    const json = JSON.parse(readFileSync(join(FULL_WYCHEPROOF, file), 'utf8'));
    const ids = json.testGroups.flatMap((g: any) => g.tests).filter((t: any) => t.flags.includes('InvalidPrivateKey'));
    out.set(
      `wycheproof/${file}`,
      ids.map((t: any) => t.tcId),
    );
  }
  return out;
}

describeWithData(
  HAVE_VECTORS && HAVE_FULL_WYCHEPROOF,
  `the shared vectors (${SHARED_VECTORS}) and the full Wycheproof set (${FULL_WYCHEPROOF})`,
  'release profile with the full Wycheproof set',
  () => {
    it('liboqs fails exactly the InvalidPrivateKey signing cases, named by tcId; every other Wycheproof case passes', async () => {
      const out = mkdtempSync(join(tmpdir(), 'release-wp-report-'));
      const args = ['kat', '--profile', 'release', '--only', 'kat/wycheproof', '-b', 'liboqs', '--seed', '7', '-j', '1'];
      const r = await runCli([...args, '--vectors', releaseSizeDir(), '-o', out], {}, 180_000);
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8'));
      expect(report.profile).toBe('release');
      const checks: any[] = report.checks;
      expect(checks.length).toBe(21); // 3 x 4 ML-KEM kinds + 3 x 3 ML-DSA kinds
      const failed = checks.filter((c) => c.status === 'fail');
      expect(failed.map((c) => c.id).sort()).toEqual([
        'kat/wycheproof/ML-DSA-44/sign_noseed',
        'kat/wycheproof/ML-DSA-65/sign_noseed',
        'kat/wycheproof/ML-DSA-87/sign_noseed',
      ]);
      const expected = invalidPrivateKeyCases();
      for (const c of failed) {
        const listed: { file: string; tcId: number; labels?: string[] }[] = c.evidence.failedCases;
        const file = listed[0].file;
        expect(listed.map((x) => x.tcId)).toEqual(expected.get(file));
        for (const x of listed) expect(x.labels).toContain('InvalidPrivateKey');
        expect(c.reason).toContain(`tcIds ${expected.get(file)!.join(', ')}`);
        expect(c.evidence.flags.InvalidPrivateKey).toMatchObject({ failed: 2, passed: 0 });
      }
      // Every case of the 21 upstream files ran (2 839), plus the 32 of the trimmed sample beside them.
      const total = checks.reduce((n, c) => n + c.evidence.cases.total, 0);
      expect(total).toBe(2839 + 32);
      expect(checks.reduce((n, c) => n + c.evidence.cases.failed, 0)).toBe(6);
    }, 200_000);
  },
);
