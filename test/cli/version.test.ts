import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.ts';

const { version } = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as { version: string };

describe('pqc-harness --version', () => {
  it('prints the harness version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`pqc-harness ${version}\n`);
  });

  it('with --json, adds every backend library version as loaded', async () => {
    const r = await runCli(['--version', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.version).toBe(version);
    expect(v.backends.noble.version).toMatch(/^@noble\/post-quantum \d/);
    expect(v.backends.liboqs.version).toMatch(/^@oqs\/liboqs-js \d/);
    expect(v.backends.mock.insecure).toBe(true);
  });
});
