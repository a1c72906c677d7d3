// The admin API's input validation, against a stub node: no processes, no sockets but the admin one.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { startAdmin } from '../../src/mesh/node/admin.ts';
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
    sent.push({ to, payload });
  },
  rotate: async () => [{ peer: 'n2', ok: true, sendEpoch: 1, recvEpoch: 1 }],
} as unknown as MeshNode;

let server: Server;
let url: string;
beforeAll(async () => {
  ({ server, url } = await startAdmin(stub, '127.0.0.1:0'));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const post = async (path: string, body?: string) => {
  const res = await fetch(`${url}${path}`, { method: 'POST', body });
  return { status: res.status, body: (await res.json()) as { error?: string } };
};

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
