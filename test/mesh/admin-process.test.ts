// The admin API of a real node process: the token file mesh up writes (0600,
// also in mesh.json), refusal without it, and the bounded outbox to a peer
// that is down (503, counted).
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMesh, type RunningMesh } from '../../src/mesh/node/launcher.ts';
import { TEST_NODE_COMMAND, TestMesh, metricValue } from '../support/mesh.ts';

let mesh: TestMesh;
let running: RunningMesh;
beforeAll(async () => {
  // b-node is never started: a-node's outbox to it only fills.
  mesh = await TestMesh.create(2, { ids: ['a-node', 'b-node'], perNode: { 'a-node': { limits: { outboxMessagesPerPeer: 2 } } } });
  running = await startMesh(mesh.dir, [mesh.specs[0]], TEST_NODE_COMMAND);
  mesh.procs.set('a-node', running.nodes[0]);
});
afterAll(async () => {
  await running?.stop();
  rmSync(mesh.dir, { recursive: true, force: true });
});

describe('admin API of a node process', () => {
  it('has a 0600 token file next to its config, the same token in mesh.json, and refuses requests without it', async () => {
    const file = join(mesh.dir, 'a-node.admin-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    const doc = JSON.parse(readFileSync(join(mesh.dir, 'mesh.json'), 'utf8')) as { nodes: { id: string; adminToken: string }[] };
    expect(doc.nodes[0]).toMatchObject({ id: 'a-node', adminToken: token });
    expect(statSync(join(mesh.dir, 'mesh.json')).mode & 0o077).toBe(0);
    const admin = mesh.admin('a-node');
    expect((await fetch(`${admin}/status`)).status).toBe(401);
    expect((await fetch(`${admin}/send`, { method: 'POST', body: '{"to":"b-node","payload":"x"}' })).status).toBe(401);
    expect((await mesh.request('a-node', '/status')).status).toBe(200);
  });

  it('a full outbox answers 503 naming the reason and counts it; nothing beyond the limit is queued', async () => {
    for (const n of [1, 2]) expect((await mesh.send('a-node', 'b-node', `queued ${n}`, 50)).status).toBe(504);
    const res = await mesh.send('a-node', 'b-node', 'one too many', 50);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ reason: 'outbox_full', error: expect.stringMatching(/outbox to b-node is full/) });
    expect(metricValue(await mesh.metrics('a-node'), 'mesh_send_rejected_total{reason="outbox_full"}')).toBe(1);
    expect((await mesh.status('a-node')).peers[0].unacknowledged).toBe(2);
  });
});
