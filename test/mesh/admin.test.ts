// The admin API's gate (token, Host, Origin, Content-Type, body size) and input
// validation, against a stub node: no processes, no sockets but the admin one.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { connect } from 'node:net';
import { MAX_BODY_BYTES, startAdmin } from '../../src/mesh/node/admin.ts';
import { newAdminToken } from '../../src/mesh/node/admin-token.ts';
import { OutboxFullError } from '../../src/mesh/node/peer.ts';
import type { MeshNode } from '../../src/mesh/node/node.ts';

const sent: { to: string; payload: string }[] = [];
const errors: unknown[] = [];
const stub = {
  status: () => ({ id: 'n1' }),
  received: () => [],
  metrics: { exposition: async () => '', contentType: 'text/plain' },
  log: { error: (o: unknown) => errors.push(o) },
  send: async (to: string, payload: string) => {
    if (to !== 'n2') throw new ConfigError(`unknown peer ${to}`);
    if (payload === 'full') throw new OutboxFullError('outbox to n2 is full');
    sent.push({ to, payload });
  },
  rotate: async () => [{ peer: 'n2', ok: true, sendEpoch: 1, recvEpoch: 1 }],
} as unknown as MeshNode;

const token = newAdminToken();
const auth = { authorization: `Bearer ${token}` };
let server: Server;
let url: string;
beforeAll(async () => {
  ({ server, url } = await startAdmin(stub, '127.0.0.1:0', { token, metricsPublic: true }));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const post = async (path: string, body?: string) => {
  const res = await fetch(`${url}${path}`, { method: 'POST', body, headers: { ...auth, 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as { error?: string } };
};

/** A raw HTTP/1.1 request, so Host and Origin can be anything a hostile client would send. */
function raw(request: string, body: Buffer = Buffer.alloc(0)): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), '127.0.0.1');
    let head = '';
    sock.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m) {
        resolve(Number(m[1]));
        sock.destroy();
      }
    });
    sock.on('error', (e) => (head ? undefined : reject(e)));
    sock.write(request);
    if (body.length) sock.write(body, () => undefined);
  });
}

describe('admin API gate', () => {
  const host = () => new URL(url).host;

  it('refuses every route but /metrics without the right bearer token (401)', async () => {
    for (const path of ['/status', '/received']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect((await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${newAdminToken()}` } })).status).toBe(401);
      expect((await fetch(`${url}${path}`, { headers: auth })).status).toBe(200);
    }
    const send = await fetch(`${url}/send`, {
      method: 'POST',
      body: '{"to":"n2","payload":"x"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(send.status).toBe(401);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    expect(sent).toEqual([]);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin (cross-site post) with 403, even with the token', async () => {
    const a = `Authorization: Bearer ${token}\r\n`;
    expect(await raw(`GET /status HTTP/1.1\r\nHost: attacker.example:80\r\n${a}\r\n`)).toBe(403);
    expect(await raw(`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n`)).toBe(403);
    expect(await raw(`GET /status HTTP/1.1\r\nHost: ${host()}\r\n${a}Origin: http://attacker.example\r\n\r\n`)).toBe(403);
    expect(await raw(`GET /status HTTP/1.1\r\nHost: ${host()}\r\n${a}Origin: http://${host()}\r\n\r\n`)).toBe(200);
    expect(await raw(`GET /status HTTP/1.1\r\nHost: localhost:${new URL(url).port}\r\n${a}\r\n`)).toBe(200);
  });

  it('refuses a text/plain body (a form post needs no preflight) with 415', async () => {
    const res = await fetch(`${url}/send`, {
      method: 'POST',
      body: '{"to":"n2","payload":"x"}',
      headers: { ...auth, 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(sent).toEqual([]);
  });

  it('answers 413 to a 50 MiB body instead of resetting the connection', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const res = await fetch(`${url}/send`, { method: 'POST', body: big, headers: { ...auth, 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    const chunked = await raw(
      `POST /send HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      Buffer.concat([
        Buffer.from(`${(MAX_BODY_BYTES + 10).toString(16)}\r\n`),
        Buffer.alloc(MAX_BODY_BYTES + 10, 0x20),
        Buffer.from('\r\n0\r\n\r\n'),
      ]),
    );
    expect(chunked).toBe(413);
  });

  it('answers 503 with reason outbox_full when the peer outbox is full', async () => {
    const r = await post('/send', JSON.stringify({ to: 'n2', payload: 'full' }));
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ reason: 'outbox_full' });
  });
});

describe('admin API input validation', () => {
  it.each([
    ['null', /body must be a JSON object, got null/],
    ['[]', /body must be a JSON object, got an array/],
    ['42', /body must be a JSON object, got number/],
    ['"n2"', /body must be a JSON object, got string/],
    ['true', /body must be a JSON object, got boolean/],
    ['{', /body is not JSON/],
    ['{}', /field "to": must be a peer id string/],
    ['{"to":7,"payload":"x"}', /field "to": must be a peer id string/],
    ['{"to":"n2"}', /field "payload": must be a UTF-8 string/],
    ['{"to":"n2","payload":{"a":1}}', /field "payload": must be a UTF-8 string/],
    ['{"to":"n2","payload":"x","timeoutMs":"10"}', /field "timeoutMs": must be a number of milliseconds/],
    ['{"to":"n2","payload":"x","timeoutMs":-1}', /field "timeoutMs": must be positive/],
    ['{"to":"n2","payload":"x","timeoutMs":1.5}', /field "timeoutMs": must be an integer/],
    [`{"to":"n2","payload":"x","timeoutMs":${2 ** 31}}`, /field "timeoutMs": must be at most 2147483647 ms/],
    ['{"to":"n2","payload":"x","timeoutMs":1e300}', /field "timeoutMs": must be/],
  ])('POST /send %s -> 400 naming the problem', async (body, message) => {
    const r = await post('/send', body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
  });

  it('accepts a valid send, including the largest timer value', async () => {
    const r = await post('/send', JSON.stringify({ to: 'n2', payload: 'hi', timeoutMs: 2 ** 31 - 1 }));
    expect(r).toEqual({ status: 200, body: { ok: true, to: 'n2' } });
    expect(sent).toContainEqual({ to: 'n2', payload: 'hi' });
  });

  it('answers 404 for an unknown peer', async () => {
    expect((await post('/send', JSON.stringify({ to: 'nobody', payload: 'x' }))).status).toBe(404);
  });

  it('POST /rotate takes no body or an object, and refuses null or an array with 400', async () => {
    expect((await post('/rotate')).status).toBe(200);
    expect((await post('/rotate', '{}')).status).toBe(200);
    for (const body of ['null', '[1]', '3']) {
      const r = await post('/rotate', body);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(/body must be a JSON object/);
    }
  });

  it('never logged an internal error for any of these', () => {
    expect(errors).toEqual([]);
  });
});
