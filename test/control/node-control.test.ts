// The control plane inside in-process nodes: a committed revocation closes
// the revoked peer's sessions and refuses it with `revoked`; the log and
// the node's votes survive a restart (state dir); the control routes of the
// admin API behind the token, with fields named in 400s; the gauges.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdmin } from '../../src/mesh/node/admin.ts';
import { loadAdminToken } from '../../src/mesh/node/admin-token.ts';
import type { MeshNode } from '../../src/mesh/node/node.ts';
import { metricValue, waitFor } from '../support/mesh.ts';
import { nodeFiles, startNode, type NodeFiles } from '../support/node.ts';

const timers = { heartbeatIntervalMs: 100, deadPeerTimeoutMs: 500, reconnectMinMs: 20, reconnectMaxMs: 200 };
const ids = ['node-1', 'node-2', 'node-3'];
let files: NodeFiles;
const nodes = new Map<string, MeshNode>();
let admin: { server: Server; url: string };
let token: string;

const config = (id: string) => {
  const c = files.config(id);
  return { ...c, timers: { ...c.timers, ...timers } };
};

beforeAll(async () => {
  files = await nodeFiles(ids);
  for (const id of ids) nodes.set(id, await startNode(config(id)));
  const c = config('node-1');
  token = loadAdminToken(c.adminTokenFile!);
  admin = await startAdmin(nodes.get('node-1')!, '127.0.0.1:0', { token, metricsPublic: true });
  await waitFor(() => ids.every((id) => nodes.get(id)!.status().membership.reachable.length === 3), 20_000, 'all reachable');
}, 60_000);
afterAll(async () => {
  await new Promise((r) => admin.server.close(r));
  for (const n of nodes.values()) await n.stop();
});

const call = async (method: string, path: string, body?: unknown, auth = true) => {
  const headers: Record<string, string> = auth ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${admin.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('control routes of the admin API', () => {
  it('require the bearer token', async () => {
    for (const [m, p] of [
      ['GET', '/log'],
      ['POST', '/propose'],
      ['POST', '/links'],
    ])
      expect((await call(m, p, m === 'POST' ? {} : undefined, false)).status).toBe(401);
  });
  it('name the bad field and the unknown peer', async () => {
    const bad = await call('POST', '/propose', { kind: 'reboot', payload: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/field "kind"/);
    const links = await call('POST', '/links', { peer: 'node-9', up: false });
    expect(links.status).toBe(404);
    expect(links.body.error).toMatch(/unknown peer node-9/);
    expect((await call('POST', '/links', { peer: 'node-2', up: 'no' })).body.error).toMatch(/field "up"/);
  });
});

describe('a committed revocation', () => {
  it('commits with a certificate, closes the revoked peer and refuses it with revoked', async () => {
    const r = await call('POST', '/propose', { kind: 'revoke', payload: 'node-3' });
    expect(r.status).toBe(202);
    const id = r.body.id as string;
    expect(id).toMatch(/^node-1\/\d+\.1$/);
    await waitFor(
      () =>
        ['node-1', 'node-2'].every((n) =>
          nodes
            .get(n)!
            .control.logView(false)
            .entries.some((e) => e.proposalId === id),
        ),
      10_000,
      'revocation committed',
    );
    const log = (await call('GET', '/log')).body as {
      entries: { slot: number; certificate: { signatures: unknown[] } }[];
      proposals?: unknown;
    };
    expect(log.entries[0].slot).toBe(1);
    expect(log.entries[0].certificate.signatures.length).toBeGreaterThanOrEqual(2);
    expect(log.proposals).toBeUndefined();
    expect(((await call('GET', '/log?proposals=1')).body.proposals as { state: string }[])[0].state).toBe('committed');
    await waitFor(
      () =>
        !nodes
          .get('node-1')!
          .status()
          .peers.find((p) => p.id === 'node-3')!.connected,
      5_000,
      'node-3 closed',
    );
    const s1 = nodes.get('node-1')!.status();
    expect(s1.peers.find((p) => p.id === 'node-3')!.revoked).toBe(true);
    expect(s1.membership.members).toEqual(['node-1', 'node-2']);
    expect(s1.membership.epoch).toBe(1);
    // node-3 keeps dialling (it did not commit its own revocation): refused with `revoked`.
    await waitFor(
      async () => metricValue(await nodes.get('node-1')!.metrics.exposition(), 'pqc_handshake_failure_total{reason="revoked"}') >= 1,
      5_000,
      'a revoked handshake refusal',
    );
    const text = await nodes.get('node-1')!.metrics.exposition();
    expect(metricValue(text, 'mesh_members')).toBe(2);
    expect(metricValue(text, 'mesh_partition_minority')).toBe(0);
  }, 30_000);

  it('is still in the log after a restart, read back from the state dir and verified again', async () => {
    const before = nodes.get('node-2')!.control.logView(false).entries;
    await nodes.get('node-2')!.stop();
    const again = await startNode(config('node-2'));
    nodes.set('node-2', again);
    expect(again.control.logView(false).entries.map((e) => e.eventHash)).toEqual(before.map((e) => e.eventHash));
    expect(again.status().membership.epoch).toBe(1);
    expect(again.status().peers.find((p) => p.id === 'node-3')!.revoked).toBe(true);
  }, 30_000);
});
