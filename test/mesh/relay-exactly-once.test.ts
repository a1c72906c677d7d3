// Issue 9 §1: through an in-path relay that drops, reorders or blackholes
// records, or injects a cleartext ALERT, every /send that answered 200 is
// delivered exactly once (after a reconnect where needed) and the event is
// visible in a metric. Real node processes; a-node dials b-node via the relay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameType, encodeAlert } from '../../src/mesh/protocol/wire.ts';
import { FrameRelay, bigRecord } from '../support/frame-relay.ts';
import { TestMesh, metricValue, waitFor } from '../support/mesh.ts';

const TIMERS = { handshakeTimeoutMs: 5000, reconnectMinMs: 50, reconnectMaxMs: 200, heartbeatIntervalMs: 100, deadPeerTimeoutMs: 600 };
const big = (tag: string) => `${tag} ${'x'.repeat(2000)}`;

let mesh: TestMesh;
let relay: FrameRelay;
beforeAll(async () => {
  relay = await FrameRelay.start();
  mesh = await TestMesh.create(2, {
    ids: ['a-node', 'b-node'],
    perNode: { 'a-node': { timers: TIMERS, peers: [{ id: 'b-node', address: relay.address }] }, 'b-node': { timers: TIMERS } },
  });
  relay.target.port = Number(mesh.specs.find((s) => s.id === 'b-node')!.listen.split(':')[1]);
  await mesh.startAll();
  await mesh.fullyConnected();
});
afterAll(async () => {
  await mesh?.stop();
  await relay?.close();
});

async function deliveredTimes(payload: string): Promise<number> {
  return (await mesh.received('b-node')).filter((m) => m.from === 'a-node' && m.payload === payload).length;
}
const gaps = async () => metricValue(await mesh.metrics('b-node'), 'mesh_record_gaps_total');

describe('exactly-once through a hostile relay', () => {
  it('a dropped DATA record is a counted gap; the message is redelivered once after the re-handshake', async () => {
    const before = await gaps();
    const dropped = relay.drop('c2s', bigRecord());
    const res = await mesh.send('a-node', 'b-node', big('dropped'), 15_000);
    await dropped;
    expect(res.status).toBe(200);
    expect(await deliveredTimes(big('dropped'))).toBe(1);
    expect(await gaps()).toBeGreaterThan(before);
  });

  it('two reordered DATA records: both answered 200, both delivered once, in order, and the gap counted', async () => {
    await mesh.fullyConnected();
    const before = await gaps();
    const held = relay.hold('c2s', bigRecord());
    const [r1, r2] = await Promise.all([
      mesh.send('a-node', 'b-node', big('first'), 15_000),
      mesh.send('a-node', 'b-node', big('second'), 15_000),
    ]);
    await held;
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(await deliveredTimes(big('first'))).toBe(1);
    expect(await deliveredTimes(big('second'))).toBe(1);
    const order = (await mesh.received('b-node')).map((m) => m.payload);
    expect(order.indexOf(big('first'))).toBeLessThan(order.indexOf(big('second')));
    expect(await gaps()).toBeGreaterThan(before);
  });

  it('a blackholed session (TCP open, nothing passes) is declared dead, reconnected, and the message redelivered', async () => {
    await mesh.fullyConnected();
    // Whichever side's dead-peer timer fires first closes; the other sees the close.
    const series = 'pqc_handshake_failure_total{reason="timeout"}';
    const timeouts = async () => metricValue(await mesh.metrics('a-node'), series) + metricValue(await mesh.metrics('b-node'), series);
    const before = await timeouts();
    relay.blackhole();
    const res = await mesh.send('a-node', 'b-node', 'through a blackhole', 15_000);
    expect(res.status).toBe(200);
    expect(await deliveredTimes('through a blackhole')).toBe(1);
    expect(await timeouts()).toBeGreaterThan(before);
    const s = await mesh.status('a-node');
    expect(s.peers[0]).toMatchObject({ id: 'b-node', connected: true, reachable: true });
  });

  it('a cleartext ALERT injected after the handshake is a bad_frame of its sender, not believed', async () => {
    await mesh.fullyConnected();
    const m = async () => await mesh.metrics('b-node');
    const forged = 'pqc_handshake_failure_total{reason="bad_signature"}';
    const badFrame = 'pqc_handshake_failure_total{reason="bad_frame"}';
    const [forgedBefore, badFrameBefore] = [metricValue(await m(), forged), metricValue(await m(), badFrame)];
    relay.inject('c2s', FrameType.ALERT, encodeAlert({ reason: 'bad_signature', message: 'injected by the relay' }));
    await waitFor(async () => metricValue(await m(), badFrame) > badFrameBefore, 5000, 'bad_frame counted on b-node');
    expect(metricValue(await m(), forged)).toBe(forgedBefore);
    await mesh.fullyConnected();
    expect((await mesh.send('a-node', 'b-node', 'after the injected alert', 15_000)).status).toBe(200);
  });

  it('liveness: a killed peer is unreachable in /status and mesh_peers_reachable', async () => {
    await mesh.fullyConnected();
    expect(metricValue(await mesh.metrics('a-node'), 'mesh_peers_reachable')).toBe(1);
    await mesh.procs.get('b-node')!.kill();
    await waitFor(async () => metricValue(await mesh.metrics('a-node'), 'mesh_peers_reachable') === 0, 5000, 'reachable 0');
    const peer = (await mesh.status('a-node')).peers[0];
    expect(peer.reachable).toBe(false);
    expect(peer.lastHeardAt).not.toBeNull();
    expect(peer.silentForMs).toBeGreaterThanOrEqual(0);
  });
});
