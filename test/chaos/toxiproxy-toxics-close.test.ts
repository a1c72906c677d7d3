// Toxics that end connections, measured on real TCP: slow_close, timeout
// (closing, and holding with 0), reset_peer and limit_data, on either stream.
import { randomBytes } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Proxy } from 'toxiproxy-node-client';
import { describe, expect, it } from 'vitest';
import { Probe, portOf, sleep, type EchoServer, type ToxiproxySession } from '../support/toxiproxy.ts';
import { useToxiproxy } from '../support/toxiproxy-fixture.ts';

const EPS = 2;
const SLACK = 1000;

let tp: ToxiproxySession;
let echo: EchoServer;

useToxiproxy((f) => ({ tp, echo } = f));

type CloseType = 'slow_close' | 'timeout' | 'reset_peer' | 'limit_data';

async function proxyWith<T>(label: string, type: CloseType, stream: 'upstream' | 'downstream', attributes: T) {
  const p: Proxy = await tp.client.createProxy({ name: tp.name(label), listen: '127.0.0.1:0', upstream: echo.address });
  await p.addToxic<T>({ name: `${type}_${stream}`, type, stream, toxicity: 1, attributes });
  return { p, port: portOf(p.listen) };
}

describe('slow_close', () => {
  it('holds the close back for `delay` ms while data flows normally', async () => {
    const { p, port } = await proxyWith('slowclose', 'slow_close', 'downstream', { delay: 300 });
    const probe = await Probe.connect(port);
    expect(await probe.roundTrip()).toBeLessThan(150);
    const start = performance.now();
    probe.socket.end(); // the echo server ends in turn; that FIN is what gets delayed
    const closed = await probe.closed(5000);
    expect(closed.ended).toBe(true);
    expect(closed.at - start).toBeGreaterThanOrEqual(300 - EPS);
    expect(closed.at - start).toBeLessThan(300 + SLACK);
    await p.remove();
  });
});

describe('timeout', () => {
  it('lets nothing through and closes the connection after `timeout` ms', async () => {
    const { p, port } = await proxyWith('timeout', 'timeout', 'downstream', { timeout: 250 });
    const probe = await Probe.connect(port);
    const start = performance.now();
    probe.write('hello?');
    const closed = await probe.closed(5000);
    expect(probe.received).toBe(0);
    expect(closed.at - start).toBeGreaterThanOrEqual(250 - EPS);
    expect(closed.at - start).toBeLessThan(250 + SLACK);
    await p.remove();
  });

  it('with timeout 0 holds the data without closing until the toxic is removed', async () => {
    const { p, port } = await proxyWith('hold', 'timeout', 'upstream', { timeout: 0 });
    const probe = await Probe.connect(port);
    probe.write('held-1;');
    probe.write('held-2;');
    await sleep(300);
    expect(probe.received).toBe(0);
    expect(probe.closeInfo).toBeUndefined();
    await (await p.getToxic('timeout_upstream')).remove();
    probe.write('after;');
    await probe.bytes(20, 3000);
    expect(probe.data().toString()).toBe('held-1;held-2;after;');
    probe.destroy();
    await p.remove();
  });
});

describe('reset_peer', () => {
  it('resets the connection (ECONNRESET) after `timeout` ms', async () => {
    const { p, port } = await proxyWith('reset', 'reset_peer', 'downstream', { timeout: 200 });
    const probe = await Probe.connect(port);
    const start = performance.now();
    probe.write('ping');
    const closed = await probe.closed(5000);
    expect(closed.error).toBe('ECONNRESET');
    expect(closed.at - start).toBeGreaterThanOrEqual(200 - EPS);
    expect(closed.at - start).toBeLessThan(200 + SLACK);
    await p.remove();
  });
});

describe('reset_peer with timeout 0', () => {
  it('resets before any data gets through, on every connection', async () => {
    const { p, port } = await proxyWith('reset0', 'reset_peer', 'downstream', { timeout: 0 });
    for (let i = 0; i < 20; i++) {
      const probe = await Probe.connect(port);
      probe.write('ping');
      const closed = await probe.closed(5000);
      expect(closed.error).toBe('ECONNRESET');
      expect(probe.received, `connection ${i}`).toBe(0);
    }
    await p.remove();
  });
});

describe('limit_data', () => {
  it('passes exactly `bytes` bytes downstream, then closes', async () => {
    const { p, port } = await proxyWith('limit_down', 'limit_data', 'downstream', { bytes: 1000 });
    // Half-open client: a mere FIN would leave our side usable; a closed connection does not.
    const probe = await Probe.connect(port, '127.0.0.1', true);
    const payload = randomBytes(3000);
    probe.write(payload);
    await probe.until(() => probe.endedAt !== undefined, 5000, 'FIN');
    expect(probe.received).toBe(1000);
    expect(probe.data().equals(payload.subarray(0, 1000))).toBe(true);
    for (let i = 0; i < 50 && probe.closeInfo === undefined; i += 1) {
      probe.write('still there?');
      await sleep(20);
    }
    const closed = await probe.closed(2000);
    expect(closed.error).toMatch(/EPIPE|ECONNRESET/);
    await p.remove();
  });

  it('passes exactly `bytes` bytes upstream, then closes both sides', async () => {
    // A server that only records, to see what reached the upstream.
    let got = Buffer.alloc(0);
    let upstreamEnded = false;
    const recorder = net.createServer((s) => {
      s.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
      s.on('end', () => (upstreamEnded = true));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
    const address = `127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    const p: Proxy = await tp.client.createProxy({ name: tp.name('limit_up'), listen: '127.0.0.1:0', upstream: address });
    await p.addToxic({ name: 'cap', type: 'limit_data', stream: 'upstream', toxicity: 1, attributes: { bytes: 1000 } });
    const probe = await Probe.connect(portOf(p.listen));
    const payload = randomBytes(3000);
    probe.write(payload);
    await probe.closed(5000);
    for (let waited = 0; !upstreamEnded && waited < 3000; waited += 10) await sleep(10);
    expect(upstreamEnded).toBe(true);
    expect(got.equals(payload.subarray(0, 1000))).toBe(true);
    await p.remove();
    await new Promise<void>((r) => recorder.close(() => r()));
  });

  it('leaves a connection under the limit alone', async () => {
    const { p, port } = await proxyWith('limit_ok', 'limit_data', 'downstream', { bytes: 1000 });
    const probe = await Probe.connect(port);
    await probe.roundTrip(randomBytes(600));
    await sleep(100);
    expect(probe.closeInfo).toBeUndefined();
    probe.destroy();
    await p.remove();
  });
});
