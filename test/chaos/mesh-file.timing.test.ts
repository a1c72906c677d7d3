// `pqc-harness chaos --mesh mesh.json` against nodes the harness did not
// start: this test plays the user. It starts three reference nodes whose peers
// point at fixed proxy addresses, an embedded Toxiproxy standing in for the
// user's (TOXIPROXY_URL), writes the mesh file, and runs split-brain through
// it: verdict valid; the proxies are gone afterwards and the nodes still run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, describe, expect, it } from 'vitest';
import { startSloMesh, type SloMesh } from '../../bench/slo/mesh.ts';
import { referenceNodeCommand } from '../../bench/slo/node-command.ts';
import { CHAOS_TIMERS } from '../../chaos/scenario/run.ts';
import { startToxiproxyServer, type ToxiproxyServer } from '../../chaos/toxiproxy/index.ts';
import { loadBuiltin } from '../../src/crypto/select.ts';
import { freePorts } from '../../src/mesh/node/launcher.ts';

const BIN = resolve('bin/pqc-harness.mjs');
const dir = mkdtempSync(join(tmpdir(), 'chaos-mesh-file-'));
let mesh: SloMesh | undefined;
let toxiproxy: ToxiproxyServer | undefined;
afterAll(async () => {
  await mesh?.stop();
  await toxiproxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI without blocking this process's event loop (the embedded Toxiproxy lives here). */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'chaos', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
}

describe('chaos --mesh', () => {
  it('split-brain on a mesh someone else started: valid; proxies removed, nodes left running', async () => {
    toxiproxy = await startToxiproxyServer({ port: 0 });
    const ids = ['node-1', 'node-2', 'node-3'];
    const ports = await freePorts(ids.length * (ids.length - 1));
    // The user's wiring: node a dials 127.0.0.1:<port of a->b> for b; the harness creates that proxy.
    const proxyPort = new Map<string, number>();
    for (const a of ids) for (const b of ids) if (a !== b) proxyPort.set(`${a}->${b}`, ports[proxyPort.size]);
    mesh = await startSloMesh(dir, {
      nodes: ids.length,
      backend: await loadBuiltin('noble'),
      command: referenceNodeCommand(),
      extra: { timers: CHAOS_TIMERS },
      prepare: async (specs) => {
        for (const s of specs) {
          const doc = parse(readFileSync(s.config, 'utf8')) as { peers: { id: string; address: string }[] };
          doc.peers = doc.peers.map((p) => ({ ...p, address: `127.0.0.1:${proxyPort.get(`${s.id}->${p.id}`)}` }));
          writeFileSync(s.config, stringify(doc));
        }
      },
    });
    const file = join(dir, 'mesh.json');
    const nodes = mesh.nodes.map((n) => ({
      id: n.id,
      admin: n.admin,
      adminTokenFile: `${n.id}.admin-token`,
      listen: n.listen,
      links: Object.fromEntries(ids.filter((p) => p !== n.id).map((p) => [p, { listen: `127.0.0.1:${proxyPort.get(`${n.id}->${p}`)}` }])),
    }));
    writeFileSync(file, JSON.stringify({ version: 1, nodes }, null, 2));

    const out = join(dir, 'out');
    const r = await cli(['--scenario', 'split-brain', '--seed', '1', '--mesh', file, '--out', out], { TOXIPROXY_URL: toxiproxy.url });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^VALID +chaos\/split-brain \(3 nodes, seed 1,/m);
    expect(r.stdout).toMatch(/partition +halves: /);
    const report = JSON.parse(readFileSync(join(out, 'chaos.json'), 'utf8'));
    expect(report).toMatchObject({ mesh: file, scenarios: [{ id: 'chaos/split-brain', verdict: 'valid', nodes: 3 }] });
    expect(report.nodeCommand).toBeUndefined();
    // The harness removed every proxy it created and spawned or stopped no node.
    expect(await new Toxiproxy(toxiproxy.url).getAll()).toEqual({});
    for (const n of mesh.nodes) expect(n.child.exitCode).toBeNull();

    // Without TOXIPROXY_URL there is nowhere to create the proxies: exit 2 naming the file.
    const noProxy = await cli(['--mesh', file], { TOXIPROXY_URL: '' });
    expect(noProxy.status).toBe(2);
    expect(noProxy.stderr).toContain(`--mesh ${file}: set TOXIPROXY_URL`);
  }, 120_000);
});
