// Real node processes on loopback: sessions, delivery, key updates, crashes,
// a node from another CA. Backend noble, so no process waits on WASM.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { createCa, issueNode } from '../../src/mesh/protocol/certificate.ts';
import { nodePaths, writeIdentity } from '../../src/mesh/node/identity-files.ts';
import { TestMesh, metricValue, waitFor } from '../support/mesh.ts';

describe('a 3-node mesh of processes', () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    // node-0 is listed as a peer but its certificate comes from another CA.
    // It trusts its own CA, so it starts, and it dials node-1..3 (smaller ids dial).
    mesh = await TestMesh.create(4, { ids: ['node-0', 'node-1', 'node-2', 'node-3'], perNode: { 'node-0': { ca: 'rogue/ca.cert' } } });
    const rogueCa = createCa('rogue', createNobleBackend());
    writeIdentity(rogueCa, join(mesh.dir, 'rogue/ca.cert'), join(mesh.dir, 'rogue/ca.key'));
    const p = nodePaths(mesh.dir, 'node-0');
    writeIdentity(issueNode(rogueCa, 'node-0', createNobleBackend()), p.cert, p.key);
    await mesh.startAll(['node-1', 'node-2', 'node-3']);
  });
  afterAll(async () => {
    await mesh?.stop();
  });

  it('establishes a session between every pair', async () => {
    await mesh.fullyConnected(['node-1', 'node-2', 'node-3']);
    const s = await mesh.status('node-1');
    expect(s.backend.name).toBe('noble');
    expect(s.fallback.state).toBe('pqc');
    for (const peer of s.peers.filter((p) => p.id !== 'node-0')) expect(peer.session?.suite).toBe('XWING-MLDSA65');
    expect(metricValue(await mesh.metrics('node-1'), 'pqc_handshake_success_total')).toBeGreaterThanOrEqual(2);
  });

  it('delivers messages between all pairs and acknowledges them', async () => {
    const ids = ['node-1', 'node-2', 'node-3'];
    const sends = ids.flatMap((from) => ids.filter((to) => to !== from).map((to) => mesh.send(from, to, `hello ${to} from ${from}`)));
    for (const r of await Promise.all(sends)) expect(r.status).toBe(200);
    for (const to of ids) {
      const got = await mesh.received(to);
      for (const from of ids.filter((f) => f !== to)) expect(got).toContainEqual({ from, payload: `hello ${to} from ${from}` });
    }
  });

  it('loses and duplicates nothing across a key update mid-stream', async () => {
    const before = (await mesh.received('node-3')).length;
    const payloads = Array.from({ length: 60 }, (_, i) => `stream ${i}`);
    const sending = Promise.all(payloads.map((p) => mesh.send('node-2', 'node-3', p)));
    const rotation = await mesh.rotate('node-2');
    expect(rotation.sessions.every((r) => r.ok)).toBe(true);
    expect(rotation.sessions.find((r) => r.peer === 'node-3')?.sendEpoch).toBeGreaterThanOrEqual(1);
    for (const r of await sending) expect(r.status).toBe(200);
    const got = (await mesh.received('node-3'))
      .slice(before)
      .filter((m) => m.from === 'node-2')
      .map((m) => m.payload);
    expect(got).toEqual(payloads);
    const s = await mesh.status('node-3');
    expect(s.peers.find((p) => p.id === 'node-2')?.session?.recvEpoch).toBeGreaterThanOrEqual(1);
    expect(metricValue(await mesh.metrics('node-2'), 'key_rotation_success_total')).toBeGreaterThanOrEqual(2);
  });

  it('recovers sessions of a killed and restarted node, delivering each message once', async () => {
    await mesh.procs.get('node-2')!.kill();
    // Sent while node-2 is down: queued by node-1 and node-3, retried after the restart.
    const pending = [mesh.send('node-1', 'node-2', 'while down 1'), mesh.send('node-3', 'node-2', 'while down 3')];
    await new Promise((r) => setTimeout(r, 300));
    await mesh.start('node-2');
    for (const r of await Promise.all(pending)) expect(r.status).toBe(200);
    await mesh.fullyConnected(['node-1', 'node-2', 'node-3']);
    expect((await mesh.send('node-2', 'node-1', 'after restart')).status).toBe(200);
    const got = await mesh.received('node-2');
    // Delivered before the crash and after it, each exactly once.
    for (const p of ['hello node-2 from node-1', 'hello node-2 from node-3', 'while down 1', 'while down 3']) {
      expect(got.filter((m) => m.payload === p)).toHaveLength(1);
    }
    expect((await mesh.received('node-1')).filter((m) => m.payload === 'after restart')).toHaveLength(1);
  });

  it('refuses a node with a certificate from another CA with unknown_ca', async () => {
    const rogue = await mesh.start('node-0');
    await waitFor(
      async () => metricValue(await mesh.metrics('node-1'), 'pqc_handshake_failure_total{reason="unknown_ca"}') >= 1,
      15_000,
      'unknown_ca at node-1',
    );
    const s = await mesh.status('node-1');
    expect(s.peers.find((p) => p.id === 'node-0')?.connected).toBe(false);
    expect(metricValue(await mesh.metrics('node-0'), 'pqc_handshake_failure_total{reason="unknown_ca"}')).toBeGreaterThanOrEqual(1);
    await rogue.stop();
  });
});

describe('a 5-node mesh of processes', () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    mesh = await TestMesh.create(5);
    await mesh.startAll();
  });
  afterAll(async () => {
    await mesh?.stop();
  });

  it('connects all 10 pairs and delivers a message over each', async () => {
    const ids = mesh.specs.map((s) => s.id);
    await mesh.fullyConnected(ids, 30_000);
    const sends = ids.flatMap((from) => ids.filter((to) => to !== from).map((to) => mesh.send(from, to, `${from}->${to}`)));
    for (const r of await Promise.all(sends)) expect(r.status).toBe(200);
    for (const to of ids) {
      const got = (await mesh.received(to)).map((m) => m.payload).sort();
      expect(got).toEqual(
        ids
          .filter((f) => f !== to)
          .map((f) => `${f}->${to}`)
          .sort(),
      );
    }
  });

  it('survives garbage on its listener and bad admin requests', async () => {
    const target = mesh.specs[0];
    const [host, port] = [target.listen.split(':')[0], Number(target.listen.split(':')[1])];
    for (const bytes of [
      randomBytes(64),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from([0xff, 0xff, 0xff, 0xff, 1]),
      Buffer.concat([Buffer.from([0, 0, 0, 9, 1]), randomBytes(8)]),
    ]) {
      const sock = connect(port, host);
      sock.on('error', () => undefined);
      sock.resume(); // read the ALERT so 'close' can fire
      sock.write(bytes);
      await new Promise((r) => sock.once('close', r));
    }
    const ids = mesh.specs.map((s) => s.id);
    await mesh.fullyConnected(ids, 5000);
    expect(metricValue(await mesh.metrics(target.id), 'pqc_handshake_failure_total{reason="bad_frame"}')).toBeGreaterThanOrEqual(3);
    expect((await mesh.send(target.id, 'nobody', 'x')).status).toBe(404);
    expect((await mesh.request(target.id, '/send', { method: 'POST', body: '{' })).status).toBe(400);
    for (const body of ['null', '[]', '7']) expect((await mesh.request(target.id, '/send', { method: 'POST', body })).status).toBe(400);
  });
});
