// Strict switches (issue 9 §2, issue 8): a typo in any X0TTA6BL4_* flag,
// PQC_BACKEND or the config's backend stops the command with exit 2 naming it;
// in production a backend that fails to load is refused, not fallback; the
// test-only --mutant seam is refused in production and hidden from --help.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { backendFromEnv, checkSwitches } from '../../src/crypto/switches.ts';
import { NodeProcess, prepareMesh } from '../../src/mesh/node/launcher.ts';
import type { NodeStatus } from '../../src/mesh/node/node.ts';
import { TEST_NODE_COMMAND, adminHeaders } from '../support/mesh.ts';
import { runCli } from '../support/cli.ts';

describe('checkSwitches', () => {
  it.each<[Record<string, string>, RegExp]>([
    [{ X0TTA6BL4_PRODUCTION: 'yes-please' }, /X0TTA6BL4_PRODUCTION="yes-please" is not a recognised boolean/],
    [{ X0TTA6BL4_ALLOW_MOCK_PQC: 'ture' }, /X0TTA6BL4_ALLOW_MOCK_PQC="ture"/],
    [{ X0TTA6BL4_DISABLE_PQC: 'nope' }, /X0TTA6BL4_DISABLE_PQC="nope"/],
    [{ X0TTA6BL4_PRODUCTON: '1' }, /unknown switch X0TTA6BL4_PRODUCTON; the recognised ones are X0TTA6BL4_PRODUCTION/],
    [{ PQC_BACKEND: 'noblee' }, /PQC_BACKEND="noblee" is not a backend; use auto, noble, liboqs, pqclean, mock, .* or a module path/],
  ])('refuses %o', (env, message) => {
    expect(() => checkSwitches(env)).toThrow(message);
  });

  it('accepts the documented spellings and reads PQC_BACKEND', () => {
    expect(() => checkSwitches({ X0TTA6BL4_PRODUCTION: 'ON', X0TTA6BL4_DISABLE_PQC: '', PQC_BACKEND: 'noble' })).not.toThrow();
    expect(backendFromEnv({ PQC_BACKEND: './my-backend.ts' })).toBe('./my-backend.ts');
    expect(backendFromEnv({})).toBeUndefined();
  });
});

describe('pqc-harness node and kat with bad switches', () => {
  let dir: string;
  const config = (id: string) => join(dir, `${id}.yaml`);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switches-'));
    await prepareMesh(dir, 4, {
      backend: createNobleBackend(),
      ids: ['good', 'typo', 'missing', 'unset'],
      perNode: {
        good: { backend: 'noble', peers: [] },
        typo: { backend: 'noblee', peers: [] },
        missing: { backend: './no-such-backend.ts', peers: [] },
        unset: { backend: undefined, peers: [] },
      },
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('X0TTA6BL4_PRODUCTION=yes-please: node exits 2 naming the variable', async () => {
    const r = await runCli(['node', '--config', config('good')], { X0TTA6BL4_PRODUCTION: 'yes-please' }, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/X0TTA6BL4_PRODUCTION="yes-please" is not a recognised boolean/);
  });

  it('backend: noblee exits 2 naming the field and the accepted values', async () => {
    const r = await runCli(['node', '--config', config('typo')], { X0TTA6BL4_PRODUCTION: '1' }, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backend: must be auto, noble, liboqs, pqclean, mock, .* or a module path/);
  });

  it('in production a backend that fails to load is exit 2, not classical fallback', async () => {
    const r = await runCli(['node', '--config', config('missing')], { X0TTA6BL4_PRODUCTION: 'true' }, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/failed to load .*refusing to start in classical fallback because X0TTA6BL4_PRODUCTION is on/);
    expect(r.stdout).not.toMatch(/"event":"ready"/);
  });

  it('--mutant is refused in production, naming the switch, and is not in --help', async () => {
    const r = await runCli(
      ['node', '--config', config('good'), '--mutant', 'test/mutants/mesh/skips-finish-signature.ts'],
      { X0TTA6BL4_PRODUCTION: 'on' },
      30_000,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--mutant is a test-only switch and is refused while X0TTA6BL4_PRODUCTION is on/);
    const help = await runCli(['node', '--help'], {}, 30_000);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--config/);
    expect(help.stdout).not.toMatch(/mutant/);
  });

  it('a config without backend: runs the one PQC_BACKEND names', async () => {
    const p = await NodeProcess.spawn(TEST_NODE_COMMAND, config('unset'), { env: { PQC_BACKEND: 'noble' } });
    try {
      const s = (await (await fetch(`${p.ready.admin}/status`, { headers: await adminHeaders(p) })).json()) as NodeStatus;
      expect(s.backend.name).toBe('noble');
      expect(s.fallback.state).toBe('pqc');
    } finally {
      await p.stop();
    }
  });

  it('mesh up refuses a misspelt flag before it creates anything', async () => {
    const r = await runCli(['mesh', 'up', '--nodes', '1', '--dir', join(dir, 'm')], { X0TTA6BL4_DISABLE_PQC: 'ture' }, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/X0TTA6BL4_DISABLE_PQC="ture" is not a recognised boolean/);
    expect(existsSync(join(dir, 'm'))).toBe(false);
  });

  it('kat and certify refuse a misspelt PQC_BACKEND or flag', async () => {
    const kat = await runCli(['kat', '--only', 'none', '--out', join(dir, 'r1')], { PQC_BACKEND: 'noblee' }, 30_000);
    expect(kat.code).toBe(2);
    expect(kat.stderr).toMatch(/PQC_BACKEND="noblee"/);
    const certify = await runCli(['certify', '--only', 'none', '--out', join(dir, 'r2')], { X0TTA6BL4_ALLOW_MOCK_PQC: 'ture' }, 30_000);
    expect(certify.code).toBe(2);
    expect(certify.stderr).toMatch(/X0TTA6BL4_ALLOW_MOCK_PQC="ture"/);
  });
});
