// Forced fallback end to end (issue 12): a running mesh of three node
// processes where X0TTA6BL4_DISABLE_PQC=true is set on a and b. a raises a
// critical PqcFallbackActive alert that a real Alertmanager (Debian
// prometheus-alertmanager, started here on loopback) holds with the right
// labels; a and b, whose policies allow classical with each other, keep
// exchanging messages on the classical suite; c (in state pqc, policy
// forbidding classical) refuses them with `policy`, counted on both sides.
// Skips, naming the binary, where Alertmanager is not installed (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { NodeProcess, freePorts, prepareMesh, type MeshNodeSpec } from '../../src/mesh/node/launcher.ts';
import { FAST_TIMERS, TEST_NODE_COMMAND, adminHeaders, metricValue, waitFor } from '../support/mesh.ts';

const ALERTMANAGER = 'prometheus-alertmanager';
const installed = spawnSync('sh', ['-c', `command -v ${ALERTMANAGER}`]).status === 0;

let dir: string;
let am: ChildProcess | undefined;
let amUrl: string;
const nodes = new Map<string, NodeProcess>();

async function startAlertmanager(): Promise<void> {
  const [port] = await freePorts(1);
  amUrl = `http://127.0.0.1:${port}`;
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, stringify({ route: { receiver: 'null' }, receivers: [{ name: 'null' }] }));
  am = spawn(
    ALERTMANAGER,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  am.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  await waitFor(
    async () => (await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.ok === true,
    15_000,
    `Alertmanager ready on ${amUrl} (log: ${log.slice(-300)})`,
  );
}

/** Rewrites one node's config: its fallback section and per-peer classical policy. */
function configure(spec: MeshNodeSpec, classicalWith: string[]): void {
  const c = parse(readFileSync(spec.config, 'utf8')) as { peers: { id: string; allowClassicalFallback?: boolean }[] } & Record<
    string,
    unknown
  >;
  c.fallback = { alertUrl: amUrl, allowClassical: false, ttlSeconds: 600 };
  c.peers = c.peers.map((p) => ({ ...p, allowClassicalFallback: classicalWith.includes(p.id) }));
  writeFileSync(spec.config, stringify(c));
}

const metrics = async (id: string) => {
  const p = nodes.get(id)!;
  return (await fetch(`${p.ready.admin}/metrics`, { headers: await adminHeaders(p) })).text();
};

describe.skipIf(!installed)(`forced fallback with a real Alertmanager (${ALERTMANAGER})`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'negative-fallback-'));
    await startAlertmanager();
    const specs = await prepareMesh(dir, 3, {
      backend: createNobleBackend(),
      backendName: 'noble',
      ids: ['a', 'b', 'c'],
      extra: { timers: FAST_TIMERS },
    });
    const byId = (id: string) => specs.find((s) => s.id === id)!;
    configure(byId('a'), ['b']);
    configure(byId('b'), ['a']);
    configure(byId('c'), []);
    const env = { X0TTA6BL4_DISABLE_PQC: 'true' };
    for (const [id, e] of [
      ['a', env],
      ['b', env],
      ['c', {}],
    ] as const)
      nodes.set(id, await NodeProcess.spawn(TEST_NODE_COMMAND, byId(id).config, { logFile: join(dir, `${id}.log`), env: e }));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...nodes.values()].map((p) => p.stop(3000)));
    // Alertmanager snapshots its data dir on SIGTERM: remove the dir only once it has exited.
    if (am && am.exitCode === null && am.signalCode === null) {
      const exited = new Promise((resolve) => am?.once('exit', resolve));
      am.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      am.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('a is in fallback: pqc_fallback_enabled 1', async () => {
    await waitFor(async () => metricValue(await metrics('a'), 'pqc_fallback_enabled') === 1, 10_000, 'a reports fallback');
    expect(metricValue(await metrics('c'), 'pqc_fallback_enabled')).toBe(0);
  });

  it('Alertmanager holds a critical PqcFallbackActive alert for node a', async () => {
    type Held = { labels: Record<string, string>; status: { state: string } };
    let held: Held[] = [];
    await waitFor(
      async () => {
        held = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as Held[];
        return held.some((x) => x.labels.node === 'a');
      },
      15_000,
      'an alert for node a in Alertmanager',
    );
    const alert = held.find((x) => x.labels.node === 'a')!;
    expect(alert.labels).toMatchObject({ alertname: 'PqcFallbackActive', severity: 'critical', node: 'a' });
    expect(alert.status.state).toBe('active');
  }, 20_000);

  it('a and b keep exchanging messages (in fallback both offer and accept only the classical suite)', async () => {
    const p = nodes.get('a')!;
    const res = await fetch(`${p.ready.admin}/send`, {
      method: 'POST',
      headers: { ...(await adminHeaders(p)), 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'b', payload: 'during fallback', timeoutMs: 15_000 }),
    });
    expect(res.status).toBe(200);
    const status = (await (await fetch(`${p.ready.admin}/status`, { headers: await adminHeaders(p) })).json()) as {
      peers: { id: string; connected: boolean; suite?: string }[];
    };
    expect(status.peers.find((x) => x.id === 'b')).toMatchObject({ connected: true });
  }, 20_000);

  it('c refuses the classical suite from a and b with policy, counted on both sides', async () => {
    await waitFor(
      async () => (metricValue(await metrics('c'), 'pqc_handshake_failure_total{reason="policy"}') || 0) >= 2,
      15_000,
      'c counts policy refusals',
    );
    await waitFor(
      async () => (metricValue(await metrics('a'), 'pqc_handshake_failure_total{reason="policy"}') || 0) >= 1,
      15_000,
      'a counts the refusal it was told',
    );
  }, 40_000);
});
