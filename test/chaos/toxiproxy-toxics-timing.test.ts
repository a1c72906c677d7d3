// Toxics that shape timing, measured on real TCP through the proxy to an
// echo server: latency (+jitter, order kept), bandwidth, slicer, toxicity,
// and changes applied to live connections. Bounds are loose on the slow
// side (a noisy 2-core box) and strict on the fast side (a delay must be there).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Proxy } from 'toxiproxy-node-client';
import { describe, expect, it } from 'vitest';
import { Probe, portOf, sleep, type EchoServer, type ToxiproxySession } from '../support/toxiproxy.ts';
import { useToxiproxy } from '../support/toxiproxy-fixture.ts';

/** Timers may fire a hair early and clocks differ slightly between processes. */
const EPS = 2;
/** Generous upper margin for a loaded machine. */
const SLACK = 500;

let tp: ToxiproxySession;
let echo: EchoServer;

useToxiproxy((f) => ({ tp, echo } = f));

async function proxy(label: string): Promise<{ p: Proxy; port: number }> {
  const p = await tp.client.createProxy({ name: tp.name(label), listen: '127.0.0.1:0', upstream: echo.address });
  return { p, port: portOf(p.listen) };
}

function toxic<T>(p: Proxy, type: 'latency' | 'bandwidth' | 'slicer', stream: 'upstream' | 'downstream', attributes: T, toxicity = 1) {
  return p.addToxic<T>({ name: `${type}_${stream}`, type, stream, toxicity, attributes });
}

describe('latency', () => {
  it('delays each round trip by the configured latency', async () => {
    const { p, port } = await proxy('lat');
    const probe = await Probe.connect(port);
    expect(await probe.roundTrip()).toBeLessThan(100);
    await toxic(p, 'latency', 'downstream', { latency: 120, jitter: 0 });
    // The toxic was added to this live connection.
    for (let i = 0; i < 3; i += 1) {
      const rtt = await probe.roundTrip();
      expect(rtt).toBeGreaterThanOrEqual(120 - EPS);
      expect(rtt).toBeLessThan(120 + SLACK);
    }
    probe.destroy();
    await p.remove();
  });

  it('adds upstream and downstream latency together', async () => {
    const { p, port } = await proxy('lat2');
    await toxic(p, 'latency', 'upstream', { latency: 70, jitter: 0 });
    await toxic(p, 'latency', 'downstream', { latency: 50, jitter: 0 });
    const probe = await Probe.connect(port);
    const rtt = await probe.roundTrip();
    expect(rtt).toBeGreaterThanOrEqual(120 - EPS);
    expect(rtt).toBeLessThan(120 + SLACK);
    probe.destroy();
    await p.remove();
  });

  it('spreads delays over latency +- jitter', async () => {
    const { p, port } = await proxy('jit');
    await toxic(p, 'latency', 'downstream', { latency: 50, jitter: 30 });
    const probe = await Probe.connect(port);
    const rtts: number[] = [];
    for (let i = 0; i < 15; i += 1) rtts.push(await probe.roundTrip());
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(20 - EPS);
    expect(Math.max(...rtts)).toBeLessThan(80 + SLACK);
    // 15 draws from a 60 ms wide range: a spread under 10 ms means no jitter.
    expect(Math.max(...rtts) - Math.min(...rtts)).toBeGreaterThan(10);
    probe.destroy();
    await p.remove();
  });

  it('never reorders or corrupts data under jitter', async () => {
    const { p, port } = await proxy('order');
    await toxic(p, 'latency', 'downstream', { latency: 20, jitter: 19 });
    const probe = await Probe.connect(port);
    const messages = Array.from({ length: 120 }, (_, i) => `msg-${String(i).padStart(4, '0')};`);
    for (const m of messages) {
      probe.write(m);
      await sleep(1); // separate chunks, each with its own random delay
    }
    const expected = messages.join('');
    await probe.bytes(expected.length);
    expect(probe.data().toString()).toBe(expected);
    probe.destroy();
    await p.remove();
  });
});

describe('bandwidth', () => {
  it('limits the rate to about `rate` KB/s and keeps the bytes intact', async () => {
    const { p, port } = await proxy('bw');
    await toxic(p, 'bandwidth', 'downstream', { rate: 200 });
    const probe = await Probe.connect(port);
    const payload = randomBytes(100_000);
    const start = performance.now();
    probe.write(payload);
    await probe.bytes(payload.length, 10_000);
    const elapsed = performance.now() - start;
    // 100 000 bytes at 200 000 B/s is 500 ms.
    expect(elapsed).toBeGreaterThanOrEqual(500 * 0.9);
    expect(elapsed).toBeLessThan(500 + 5 * SLACK);
    expect(probe.data().equals(payload)).toBe(true);
    probe.destroy();
    await p.remove();
  });
});

describe('slicer', () => {
  it('cuts data into small slices spaced by the delay', async () => {
    const { p, port } = await proxy('slice');
    await toxic(p, 'slicer', 'downstream', { average_size: 10, size_variation: 0, delay: 3000 });
    const probe = await Probe.connect(port);
    const payload = randomBytes(300);
    const start = performance.now();
    probe.write(payload);
    await probe.bytes(payload.length);
    const elapsed = performance.now() - start;
    // 30 slices, 29 gaps of 3 ms.
    expect(elapsed).toBeGreaterThanOrEqual(29 * 3 * 0.9);
    expect(probe.chunks.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...probe.chunks.map((c) => c.data.length))).toBeLessThan(300);
    expect(probe.data().equals(payload)).toBe(true);
    probe.destroy();
    await p.remove();
  });
});

describe('toxicity and live changes', () => {
  it('applies, updates and removes toxics on an open connection', async () => {
    const { p, port } = await proxy('live');
    const probe = await Probe.connect(port);
    expect(await probe.roundTrip()).toBeLessThan(100);
    const t = await toxic(p, 'latency', 'upstream', { latency: 200, jitter: 0 });
    expect(await probe.roundTrip()).toBeGreaterThanOrEqual(200 - EPS);
    await t.update({ ...t.toJson(), attributes: { latency: 60, jitter: 0 } });
    const updated = await probe.roundTrip();
    expect(updated).toBeGreaterThanOrEqual(60 - EPS);
    expect(updated).toBeLessThan(200);
    await t.remove();
    expect(await probe.roundTrip()).toBeLessThan(60);
    probe.destroy();
    await p.remove();
  });

  it('toxicity 0 never applies; toxicity 0.5 is decided per connection', async () => {
    const { p, port } = await proxy('toxicity');
    await toxic(p, 'latency', 'downstream', { latency: 150, jitter: 0 }, 0);
    const never = await Probe.connect(port);
    expect(await never.roundTrip()).toBeLessThan(100);
    never.destroy();
    const t = await p.getToxic<{ latency: number; jitter: number }>('latency_downstream');
    await t.update({ ...t.toJson(), toxicity: 0.5 });
    const results = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const probe = await Probe.connect(port);
        const a = await probe.roundTrip();
        const b = await probe.roundTrip();
        probe.destroy();
        return [a >= 150 - EPS, b >= 150 - EPS];
      }),
    );
    // Each connection is consistently slow or fast ...
    for (const [a, b] of results) expect(a).toBe(b);
    // ... and with 16 connections at 50 % both kinds show up (p of failing ~ 3e-5).
    const slow = results.filter(([a]) => a).length;
    expect(slow).toBeGreaterThan(0);
    expect(slow).toBeLessThan(16);
    await p.remove();
  });
});
