// Every endpoint and status code of the Toxiproxy 2.x API, through
// toxiproxy-node-client where it has a call, raw HTTP for the rest (PATCH,
// error bodies, headers). Runs against TOXIPROXY_URL when set.
import { describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer, type ToxiproxySession } from '../support/toxiproxy.ts';
import { useToxiproxy } from '../support/toxiproxy-fixture.ts';

let tp: ToxiproxySession;
let echo: EchoServer;

useToxiproxy((f) => ({ tp, echo } = f));

interface RawReply {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
}

async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawReply> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${tp.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** The HTTP status a rejected client call failed with. */
async function statusOf(call: Promise<unknown>): Promise<number> {
  const err: unknown = await call.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  const match = /status code (\d+)/.exec(String(err));
  if (!match) throw err;
  return Number(match[1]);
}

function expectError(reply: RawReply, status: number, message: string | RegExp): void {
  expect(reply.status).toBe(status);
  expect(reply.text.endsWith('\n')).toBe(true);
  const body = reply.json();
  expect(body.status).toBe(status);
  if (typeof message === 'string') expect(body.error).toBe(message);
  else expect(body.error).toMatch(message);
}

describe('server endpoints', () => {
  it('GET /version answers 200 JSON with a request id', async () => {
    const text = await tp.client.getVersion();
    expect(JSON.parse(text).version).toMatch(/^\d+\.\d+\.\d+/);
    const reply = await raw('GET', '/version');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('application/json');
    expect(reply.text.endsWith('\n')).toBe(true);
    expect(reply.headers.get('x-toxiproxy-request-id')).toMatch(/\S+/);
  });

  it('refuses browsers (403), wrong methods (405) and unknown routes (404)', async () => {
    expectError(await raw('GET', '/proxies', undefined, { 'User-Agent': 'Mozilla/5.0 (X11)' }), 403, 'User agent not allowed');
    const p = await tp.client.createProxy({ name: tp.name('m405'), listen: '127.0.0.1:0', upstream: echo.address });
    const put = await raw('PUT', `/proxies/${p.name}`, {});
    expect(put.status).toBe(405);
    expect(put.text).toBe('');
    expect((await raw('DELETE', '/proxies')).status).toBe(405);
    expect((await raw('GET', '/no-such-route')).status).toBe(404);
    await p.remove();
  });
});

describe('proxies', () => {
  it('creates (201) with a resolved listen port, lists, gets and deletes (204, then 404)', async () => {
    const name = tp.name('crud');
    const created = await raw('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: echo.address });
    expect(created.status).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ name, upstream: echo.address, enabled: true, toxics: [] });
    expect(body.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(body.listen).not.toBe('127.0.0.1:0');

    const all = await tp.client.getAll();
    expect(all[name].listen).toBe(body.listen);
    const one = await tp.client.get(name);
    expect(one.toJson()).toEqual({ name, listen: body.listen, upstream: echo.address, enabled: true });

    await one.remove();
    expect(await statusOf(one.remove())).toBe(404);
    expect(await statusOf(tp.client.get(name))).toBe(404);
  });

  it('answers 409 for a duplicate name and 400 for missing fields or a bad body', async () => {
    const name = tp.name('dup');
    const p = await tp.client.createProxy({ name, listen: '127.0.0.1:0', upstream: echo.address });
    expect(await statusOf(tp.client.createProxy({ name, listen: '127.0.0.1:0', upstream: echo.address }))).toBe(409);
    expectError(await raw('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: echo.address }), 409, 'proxy already exists');
    expectError(await raw('POST', '/proxies', { upstream: echo.address }), 400, 'missing required field: name');
    expectError(await raw('POST', '/proxies', { name: tp.name('x') }), 400, 'missing required field: upstream');
    expectError(await raw('POST', '/proxies', '{"name": '), 400, /^bad request body: /);
    expectError(await raw('POST', '/proxies', { name: 7, upstream: echo.address }), 400, /^bad request body: /);
    await p.remove();
  });

  it('keeps the listen address of a proxy created disabled, and 500s when it cannot bind', async () => {
    const off = await tp.client.createProxy({
      name: tp.name('off'),
      listen: '127.0.0.1:0',
      upstream: echo.address,
      enabled: false,
    });
    expect(off.enabled).toBe(false);
    expect(off.listen).toBe('127.0.0.1:0');
    const on = await tp.client.createProxy({ name: tp.name('on'), listen: '127.0.0.1:0', upstream: echo.address });
    // The port is taken by `on`, so a second bind must fail.
    expectError(await raw('POST', '/proxies', { name: tp.name('clash'), listen: on.listen, upstream: echo.address }), 500, /^listen tcp/);
    expect(await statusOf(tp.client.get(tp.name('clash')))).toBe(404);
    await off.remove();
    await on.remove();
  });

  it('updates with POST and PATCH (200, whole proxy, name ignored)', async () => {
    const name = tp.name('upd');
    const p = await tp.client.createProxy({ name, listen: '127.0.0.1:0', upstream: echo.address });
    const disabled = await p.update({ enabled: false, listen: p.listen, upstream: p.upstream });
    expect(disabled.enabled).toBe(false);
    const patched = await raw('PATCH', `/proxies/${name}`, { enabled: true, name: 'ignored' });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({ name, enabled: true, upstream: echo.address, toxics: [] });
    expect(await statusOf(tp.client.get('ignored'))).toBe(404);
    expectError(await raw('PATCH', `/proxies/${name}`, '[1,'), 400, /^bad request body: /);
    await p.remove();
  });

  it('answers 404 proxy not found on every proxy route', async () => {
    const ghost = tp.name('ghost');
    for (const [method, path, body] of [
      ['GET', `/proxies/${ghost}`],
      ['POST', `/proxies/${ghost}`, { enabled: false }],
      ['PATCH', `/proxies/${ghost}`, { enabled: false }],
      ['DELETE', `/proxies/${ghost}`],
      ['GET', `/proxies/${ghost}/toxics`],
      ['POST', `/proxies/${ghost}/toxics`, { type: 'latency' }],
      ['GET', `/proxies/${ghost}/toxics/latency_downstream`],
      ['DELETE', `/proxies/${ghost}/toxics/latency_downstream`],
    ] as const) {
      expectError(await raw(method, path, body), 404, 'proxy not found');
    }
  });
});

describe('toxics', () => {
  it('creates (200) with defaults, lists upstream first, gets, updates (merged) and deletes', async () => {
    const p = await tp.client.createProxy({ name: tp.name('tox'), listen: '127.0.0.1:0', upstream: echo.address });
    const created = await raw('POST', `/proxies/${p.name}/toxics`, { type: 'latency', attributes: { latency: 40 } });
    expect(created.status).toBe(200);
    expect(created.json()).toEqual({
      attributes: { latency: 40, jitter: 0 },
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
    });
    const sc = await p.addToxic({ name: '', type: 'slow_close', stream: 'upstream', toxicity: 1, attributes: {} });
    expect(sc.name).toBe('slow_close_upstream');
    expect(sc.attributes).toEqual({ delay: 0 });
    // Values are not range-checked.
    await p.addToxic({ name: 'odd', type: 'latency', stream: 'downstream', toxicity: 2, attributes: { latency: -5, jitter: 0 } });

    const list = await raw('GET', `/proxies/${p.name}/toxics`);
    expect(list.status).toBe(200);
    expect(list.json().map((t: { name: string }) => t.name)).toEqual(['slow_close_upstream', 'latency_downstream', 'odd']);
    expect((await tp.client.get(p.name)).toJson().name).toBe(p.name);
    expect((await raw('GET', `/proxies/${p.name}`)).json().toxics).toHaveLength(3);

    const got = await p.getToxic<{ latency: number; jitter: number }>('latency_downstream');
    expect(got.attributes).toEqual({ latency: 40, jitter: 0 });
    const viaPost = await got.update({ ...got.toJson(), attributes: { latency: 40, jitter: 7 } });
    expect(viaPost.attributes).toEqual({ latency: 40, jitter: 7 });
    const patched = await raw('PATCH', `/proxies/${p.name}/toxics/latency_downstream`, { attributes: { latency: 90 }, toxicity: 0.5 });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({ attributes: { latency: 90, jitter: 7 }, toxicity: 0.5, name: 'latency_downstream' });

    const del = await raw('DELETE', `/proxies/${p.name}/toxics/latency_downstream`);
    expect(del.status).toBe(204);
    expectError(await raw('DELETE', `/proxies/${p.name}/toxics/latency_downstream`), 404, 'toxic not found');
    expect(await statusOf(p.getToxic('latency_downstream'))).toBe(404);
    expectError(await raw('PATCH', `/proxies/${p.name}/toxics/nope`, { toxicity: 1 }), 404, 'toxic not found');
    await p.remove();
  });

  it('answers 409 duplicate, 400 bad type / stream / attribute type / body', async () => {
    const p = await tp.client.createProxy({ name: tp.name('toxerr'), listen: '127.0.0.1:0', upstream: echo.address });
    const path = `/proxies/${p.name}/toxics`;
    await p.addToxic({ name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } });
    expect(await statusOf(p.addToxic({ name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: {} }))).toBe(409);
    expectError(await raw('POST', path, { name: 'lat', type: 'latency' }), 409, 'toxic already exists');
    expectError(await raw('POST', path, { type: 'melt' }), 400, 'invalid toxic type');
    expectError(
      await raw('POST', path, { type: 'latency', stream: 'sideways' }),
      400,
      'stream was invalid, can be either upstream or downstream',
    );
    expectError(await raw('POST', path, { type: 'latency', name: 'l2', attributes: { latency: 'slow' } }), 400, /^bad request body: /);
    expectError(await raw('POST', path, 'not json'), 400, /^bad request body: /);
    expectError(await raw('PATCH', `${path}/lat`, { attributes: { latency: true } }), 400, /^bad request body: /);
    expect((await raw('PUT', `${path}/lat`, {})).status).toBe(405);
    await p.remove();
  });
});

describe('populate and reset', () => {
  it('creates, keeps identical proxies with their toxics, replaces changed ones (201)', async () => {
    const [a, b] = [tp.name('popA'), tp.name('popB')];
    const first = await tp.client.populate([
      { name: a, listen: '127.0.0.1:0', upstream: echo.address },
      { name: b, listen: '127.0.0.1:0', upstream: echo.address },
    ]);
    expect(Object.keys(first).sort()).toEqual([a, b].sort());
    await first[a].addToxic({ name: 'keep', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } });
    await first[b].addToxic({ name: 'drop', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } });

    const other = await startEchoServer();
    const second = await raw('POST', '/populate', [
      { name: a, listen: first[a].listen, upstream: echo.address },
      { name: b, listen: first[b].listen, upstream: other.address },
    ]);
    expect(second.status).toBe(201);
    const proxies = second.json().proxies as { name: string; upstream: string; toxics: unknown[] }[];
    expect(proxies.map((p) => p.name)).toEqual([a, b]);
    expect(proxies[0].toxics).toHaveLength(1);
    expect(proxies[1].upstream).toBe(other.address);
    expect(proxies[1].toxics).toHaveLength(0);

    const empty = await raw('POST', '/populate', []);
    expect(empty.status).toBe(201);
    expect(empty.json()).toEqual({ proxies: null });
    await first[a].remove();
    await first[b].remove();
    await other.close();
  });

  it('validates every entry before changing anything (400, 1-based index)', async () => {
    const ok = tp.name('popOk');
    const reply = await raw('POST', '/populate', [
      { name: ok, listen: '127.0.0.1:0', upstream: echo.address },
      { name: tp.name('popBad'), listen: '127.0.0.1:0' },
    ]);
    expectError(reply, 400, 'missing required field: upstream at proxy 2');
    expect(reply.json().proxies).toBeNull();
    expect(reply.headers.get('content-type')).toContain('application/json');
    expect(await statusOf(tp.client.get(ok))).toBe(404);
    expectError(await raw('POST', '/populate', { name: ok }), 400, /^bad request body: /);
    expect((await raw('GET', '/populate')).status).toBe(405);
  });

  it('POST /reset (204) re-enables every proxy and removes every toxic', async () => {
    const p = await tp.client.createProxy({ name: tp.name('reset'), listen: '127.0.0.1:0', upstream: echo.address });
    await p.addToxic({ name: 't', type: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } });
    await p.update({ enabled: false, listen: p.listen, upstream: p.upstream });
    const reply = await raw('POST', '/reset');
    expect(reply.status).toBe(204);
    const after = (await raw('GET', `/proxies/${p.name}`)).json();
    expect(after.enabled).toBe(true);
    expect(after.toxics).toEqual([]);
    await tp.client.reset();
    await p.remove();
  });
});
