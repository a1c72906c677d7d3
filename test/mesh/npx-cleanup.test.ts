// Issue 8: `npx pqc-harness mesh up ... &` then `kill $!` must leave no
// process behind within 10 s. npm's exec wrapper exits on SIGTERM without
// passing it on, so the commands watch their parent. Driven as a user would:
// spawn through npx, kill the npx pid, look for survivors in /proc.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { prepareMesh } from '../../src/mesh/node/launcher.ts';
import { REPO } from '../support/cli.ts';
import { waitFor } from '../support/mesh.ts';

/** Pids of live processes whose environment carries the marker. */
function marked(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(`PQC_TEST_MARKER=${marker}`)) {
        const state = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0];
        if (state !== 'Z') pids.push(Number(name));
      }
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function killNpxAndExpectNoSurvivor(args: string[], ready: () => boolean): Promise<void> {
  const marker = randomUUID();
  const npx = spawn('npx', ['--no-install', 'pqc-harness', ...args], {
    cwd: REPO,
    env: { ...process.env, PQC_TEST_MARKER: marker, PQC_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    await waitFor(ready, 60_000, `${args.join(' ')} ready`);
    expect(marked(marker).length).toBeGreaterThan(1);
    npx.kill('SIGTERM');
    await waitFor(() => marked(marker).length === 0, 10_000, `no process of "${args.join(' ')}" left after killing npx`);
  } finally {
    for (const pid of marked(marker)) process.kill(pid, 'SIGKILL');
  }
}

describe('killing the npx wrapper stops everything it started', () => {
  it('mesh up --nodes 3: mesh up and its nodes are gone within 10 s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npx-mesh-'));
    dirs.push(dir);
    await killNpxAndExpectNoSurvivor(['mesh', 'up', '--nodes', '3', '--dir', dir, '--backend', 'noble'], () =>
      existsSync(join(dir, 'mesh.json')),
    );
  }, 90_000);

  it('node: gone within 10 s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npx-node-'));
    dirs.push(dir);
    const [spec] = await prepareMesh(dir, 1, { backend: createNobleBackend(), backendName: 'noble' });
    // Ready once it has bumped its incarnation counter (it then listens within milliseconds).
    const started = Date.now();
    await killNpxAndExpectNoSurvivor(
      ['node', '--config', spec.config],
      () => existsSync(join(dir, 'state', spec.id, 'incarnation')) && Date.now() - started > 1000,
    );
  }, 60_000);

  it('toxiproxy: gone within 10 s', async () => {
    // It prints nothing we can see with stdio ignored: give npx, sh and node time to start it.
    const started = Date.now();
    await killNpxAndExpectNoSurvivor(['toxiproxy', '--port', '0'], () => Date.now() - started > 4000);
  }, 60_000);
});
