// Issue 9 §5: pre-authentication budgets. Unit tests of the budget, and a
// real node process under a parked-partial-frame flood (RSS measured) and a
// replayed-HELLO flood (signatures counted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeshMetrics } from '../../src/mesh/metrics.ts';
import { PreauthBudget, TokenBucket } from '../../src/mesh/node/preauth.ts';
import { WarnLimiter } from '../../src/mesh/node/log-limiter.ts';
import { reasonOf } from '../../src/mesh/protocol/errors.ts';
import { parkPartialFrames, replayHello, rssBytes } from '../support/flood.ts';
import { TestMesh, metricValue, waitFor } from '../support/mesh.ts';
import { captureHello } from '../support/node.ts';

const limits = { connections: 3, connectionsPerSource: 2, bytes: 1000, signaturesPerSecondPerPeer: 2, signaturesPerSecond: 3 };

describe('PreauthBudget', () => {
  it('caps connections per node and per source, and gives them back on release', async () => {
    const metrics = new MeshMetrics();
    const b = new PreauthBudget(limits, metrics);
    const t1 = b.admit('10.0.0.1');
    expect(b.admit('10.0.0.1')).toBeDefined();
    expect(b.admit('10.0.0.1')).toBeUndefined();
    expect(b.admit('10.0.0.2')).toBeDefined();
    expect(b.admit('10.0.0.3')).toBeUndefined();
    t1!.release();
    t1!.release(); // idempotent
    expect(b.admit('10.0.0.3')).toBeDefined();
    const text = await metrics.exposition();
    expect(metricValue(text, 'mesh_preauth_rejections_total{reason="connections_per_source"}')).toBe(1);
    expect(metricValue(text, 'mesh_preauth_rejections_total{reason="connections"}')).toBe(1);
  });

  it('shares one byte budget among all unauthenticated partial frames', () => {
    const b = new PreauthBudget(limits, new MeshMetrics());
    const [x, y] = [b.admit('a')!, b.admit('b')!];
    expect(x.buffer(600)).toBe(true);
    expect(y.buffer(500)).toBe(false);
    expect(y.buffer(400)).toBe(true);
    expect(b.bufferedBytes).toBe(1000);
    x.release();
    expect(b.bufferedBytes).toBe(400);
  });

  it('limits responder signatures per claimed peer and per node, refilling over time', () => {
    let now = 0;
    const b = new PreauthBudget(limits, new MeshMetrics(), () => now);
    const take = (peer: string | undefined) => {
      try {
        b.admitSignature(peer);
        return 'ok';
      } catch (e) {
        return reasonOf(e);
      }
    };
    expect([take('n1'), take('n1'), take('n1')]).toEqual(['ok', 'ok', 'policy']);
    expect([take('n2'), take('n2')]).toEqual(['ok', 'policy']); // the node bucket (3/s) is spent
    now += 1000;
    expect(take(undefined)).toBe('ok');
    const bucket = new TokenBucket(1, () => now);
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
  });

  it('rate-limits repeated identical warnings and reports how many it suppressed', () => {
    const lines: unknown[] = [];
    let now = 0;
    const limiter = new WarnLimiter({ warn: (o: unknown) => lines.push(o) } as never, 1000, () => now);
    for (let i = 0; i < 50; i++) limiter.warn('k', { i }, 'refused');
    limiter.warn('other', { i: 'x' }, 'refused');
    now = 1500;
    limiter.warn('k', { i: 99 }, 'refused');
    expect(lines).toEqual([{ i: 0 }, { i: 'x' }, { i: 99, suppressed: 49 }]);
  });
});

describe('a node process under pre-authentication floods', () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    // Tighter than the defaults so each cap is reached by a 1000-connection flood: 48 connections hold 6 MiB > 2 MiB.
    mesh = await TestMesh.create(2, {
      ids: ['a-peer', 'z-node'],
      perNode: { 'z-node': { limits: { preauthConnections: 48, preauthBytes: 2 * 1024 * 1024, helloSignaturesPerSecondPerPeer: 2 } } },
    });
    await mesh.start('z-node');
  });
  afterAll(async () => {
    await mesh?.stop();
  });

  it('1000 connections parked on 127 KiB partial frames cost at most 64 MiB of RSS and are refused by reason', async () => {
    const p = mesh.procs.get('z-node')!;
    const idle = rssBytes(p.child.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(p.child.pid!))), 20);
    const flood = await parkPartialFrames(p.ready.listen, 1000);
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(sampler);
    peak = Math.max(peak, rssBytes(p.child.pid!));
    expect(peak - idle, `idle ${idle} peak ${peak}`).toBeLessThan(64 * 1024 * 1024);
    // Which budget refuses first depends on how fast the flood connects (a slow client never has
    // 256 parked at once, but 64 partial frames already fill the byte budget): at least one must.
    const refusals = async () => {
      const text = await mesh.metrics('z-node');
      return {
        connections: metricValue(text, 'mesh_preauth_rejections_total{reason="connections"}'),
        bytes: metricValue(text, 'mesh_preauth_rejections_total{reason="bytes"}'),
      };
    };
    let seen = await refusals();
    for (let i = 0; i < 50 && seen.connections + seen.bytes === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await refusals();
    }
    expect(seen.connections + seen.bytes, JSON.stringify(seen)).toBeGreaterThan(0);
    // The first-frame deadline (1 s) closes the ones that were admitted.
    await waitFor(() => flood.closedByNode() === 1000, 5000, 'every parked connection closed');
    expect(metricValue(await mesh.metrics('z-node'), 'mesh_preauth_rejections_total{reason="first_frame_timeout"}')).toBeGreaterThan(0);
  });

  it('a HELLO replayed on 16 connections gets at most the per-peer signature budget (here 2/s, burst 2)', async () => {
    const p = mesh.procs.get('z-node')!;
    const hello = await captureHello(mesh.dir, 'a-peer');
    const seconds = 2;
    const r = await replayHello(p.ready.listen, hello, 16, seconds * 1000);
    // A burst of 2, then 2 a second, however many connections replay it.
    expect(r.accepts).toBeGreaterThan(0);
    expect(r.accepts).toBeLessThanOrEqual(2 + Math.ceil((2 * r.elapsedMs) / 1000) + 1);
    expect(r.refused).toBeGreaterThan(0);
    expect(metricValue(await mesh.metrics('z-node'), 'mesh_preauth_rejections_total{reason="signature_rate"}')).toBeGreaterThan(0);
  });
});
