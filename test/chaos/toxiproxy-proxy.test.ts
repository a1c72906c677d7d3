// Proxy behaviour on real TCP without toxics: bytes arrive intact and in
// order, disabling/moving/deleting a proxy drops and refuses connections,
// and the embedded server survives garbage and frees everything on close.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startToxiproxyServer, toxiproxyFor } from '../../chaos/toxiproxy/index.ts';
import { Probe, expectRefused, portOf, startEchoServer, type EchoServer, type ToxiproxySession } from '../support/toxiproxy.ts';
import { useToxiproxy } from '../support/toxiproxy-fixture.ts';

let tp: ToxiproxySession;
let echo: EchoServer;

useToxiproxy((f) => ({ tp, echo } = f));

describe('proxying', () => {
  it('carries 4 MB each way over 3 concurrent connections without corruption', async () => {
    const p = await tp.client.createProxy({ name: tp.name('bulk'), listen: '127.0.0.1:0', upstream: echo.address });
    const port = portOf(p.listen);
    await Promise.all(
      [0, 1, 2].map(async () => {
        const payload = randomBytes(4 << 20);
        const probe = await Probe.connect(port);
        for (let off = 0; off < payload.length; off += 100_000) probe.write(payload.subarray(off, off + 100_000));
        await probe.bytes(payload.length, 20_000);
        expect(probe.data().equals(payload)).toBe(true);
        // A half-close travels through: the echo server ends, and so do we.
        probe.socket.end();
        const closed = await probe.closed();
        expect(closed.ended).toBe(true);
      }),
    );
    await p.remove();
  });

  it('disabling closes live connections and refuses new ones; re-enabling reuses the address', async () => {
    const p = await tp.client.createProxy({ name: tp.name('toggle'), listen: '127.0.0.1:0', upstream: echo.address });
    const port = portOf(p.listen);
    const live = await Probe.connect(port);
    expect(await live.roundTrip()).toBeLessThan(1000);
    await p.update({ enabled: false, listen: p.listen, upstream: p.upstream });
    await live.closed(3000);
    expect(await expectRefused(port)).toBe('ECONNREFUSED');

    const back = await p.update({ enabled: true, listen: p.listen, upstream: p.upstream });
    expect(back.listen).toBe(p.listen);
    const again = await Probe.connect(port);
    expect(await again.roundTrip()).toBeLessThan(1000);
    again.destroy();
    await p.remove();
    expect(await expectRefused(port)).toBe('ECONNREFUSED');
  });

  it('changing the upstream drops live connections and new ones reach the new upstream', async () => {
    const tagged = await startEchoServer('B');
    const p = await tp.client.createProxy({ name: tp.name('move'), listen: '127.0.0.1:0', upstream: echo.address });
    const port = portOf(p.listen);
    const live = await Probe.connect(port);
    await live.roundTrip('x');
    await p.update({ enabled: true, listen: p.listen, upstream: tagged.address });
    await live.closed(3000);
    const fresh = await Probe.connect(port);
    await fresh.bytes(1);
    expect(fresh.data().toString()).toBe('B');
    fresh.destroy();
    await p.remove();
    await tagged.close();
  });

  it('closes the client when the upstream refuses', async () => {
    const dead = await startEchoServer();
    const deadAddress = dead.address;
    await dead.close();
    const p = await tp.client.createProxy({ name: tp.name('dead'), listen: '127.0.0.1:0', upstream: deadAddress });
    const probe = await Probe.connect(portOf(p.listen));
    probe.write('anyone?');
    const closed = await probe.closed(3000);
    expect(probe.received).toBe(0);
    expect(closed.at).toBeGreaterThan(0);
    await p.remove();
  });
});

// These start their own embedded servers, also when TOXIPROXY_URL is set.
describe('embedded server', () => {
  it('survives garbage on the API port and still answers', async () => {
    const server = await startToxiproxyServer({ port: 0 });
    try {
      // Non-HTTP bytes straight on the socket.
      await new Promise<void>((resolve) => {
        const s = net.connect({ port: server.port, host: '127.0.0.1' }, () => s.end(randomBytes(4096)));
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.resume();
      });
      const bodies: (string | Uint8Array)[] = [
        '',
        'null',
        '[]',
        '"x"',
        '{"name":{}}',
        '\u0000\uffff',
        randomBytes(2048),
        'x'.repeat(2 << 20),
      ];
      for (const path of ['/proxies', '/populate', '/proxies/x/toxics', '/proxies/%zz', '/proxies/a/toxics/b/c']) {
        for (const body of bodies) {
          const res = await fetch(`${server.url}${path}`, { method: 'POST', body });
          expect([201, 400, 404, 405, 500]).toContain(res.status);
          await res.arrayBuffer();
        }
      }
      const res = await fetch(`${server.url}/proxies`, {
        method: 'POST',
        body: '{"name":"n","upstream":"nowhere","listen":"127.0.0.1:99999"}',
      });
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: string }).error).toMatch(/^listen tcp/);
      const version = await fetch(`${server.url}/version`);
      expect(version.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('close() frees the API port, every proxy listener and every connection', async () => {
    const server = await startToxiproxyServer({ port: 0 });
    const created = await fetch(`${server.url}/proxies`, {
      method: 'POST',
      body: JSON.stringify({ name: 'p', listen: '127.0.0.1:0', upstream: echo.address }),
    });
    const port = portOf(((await created.json()) as { listen: string }).listen);
    const live = await Probe.connect(port);
    await live.roundTrip();
    await server.close();
    await live.closed(3000);
    expect(await expectRefused(port)).toBe('ECONNREFUSED');
    expect(await expectRefused(server.port)).toBe('ECONNREFUSED');
  });

  it('toxiproxyFor uses TOXIPROXY_URL when set, else starts an embedded server', async () => {
    const real = await toxiproxyFor({ TOXIPROXY_URL: 'http://toxiproxy:8474/' });
    expect(real).toMatchObject({ url: 'http://toxiproxy:8474', embedded: false });
    await real.close();
    const mine = await toxiproxyFor({});
    expect(mine.embedded).toBe(true);
    expect((await fetch(`${mine.url}/version`)).status).toBe(200);
    await mine.close();
    expect(await expectRefused(portOf(mine.url))).toBe('ECONNREFUSED');
  });
});
