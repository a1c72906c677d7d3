// The HTTP API: Toxiproxy 2.x paths, status codes and bodies over node:http.
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, toApiError, badBody } from './errors.ts';
import type { Registry } from './registry.ts';
import { MAX_BODY_BYTES, parseBody } from './schema.ts';

/** The Toxiproxy release whose API this server reproduces. */
export const EMULATED_VERSION = '2.12.0';

interface Reply {
  status: number;
  /** Sent as JSON unless `raw` is given. */
  json?: unknown;
  raw?: string;
  contentType?: string;
}

const NO_CONTENT: Reply = { status: 204 };
const NOT_ALLOWED: Reply = { status: 405 };
const NOT_FOUND: Reply = { status: 404, raw: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };

/** A request id in the style of the xid ids Toxiproxy uses (20 base32hex characters). */
function requestId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  let out = '';
  for (const byte of randomBytes(20)) out += alphabet[byte & 31];
  return out;
}

/** Reads the body, refusing (but still draining) anything over MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<string | ApiError> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) parts.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? badBody('http: request body too large') : Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(badBody('unexpected EOF')));
  });
}

function splitPath(url: string | undefined): string[] | null {
  const path = (url ?? '/').split('?', 1)[0];
  try {
    const segments = path
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s));
    return segments.some((s) => s === '') ? null : segments;
  } catch {
    return null;
  }
}

async function route(registry: Registry, method: string, segments: string[], text: string): Promise<Reply> {
  const body = (): unknown => parseBody(text);
  const [root, proxyName, sub, toxicName, ...rest] = segments;
  if (rest.length > 0) return NOT_FOUND;
  if (segments.length === 1) {
    if (root === 'version') {
      if (method !== 'GET') return NOT_ALLOWED;
      return { status: 200, raw: `{"version": "${EMULATED_VERSION}"}\n`, contentType: 'application/json' };
    }
    if (root === 'proxies') {
      if (method === 'GET') return { status: 200, json: registry.list() };
      if (method === 'POST') return { status: 201, json: await registry.create(body()) };
      return NOT_ALLOWED;
    }
    if (root === 'populate') {
      if (method !== 'POST') return NOT_ALLOWED;
      let parsed: unknown;
      try {
        parsed = body();
      } catch (err) {
        throw new ApiError(400, toApiError(err).message, { proxies: null }, 'application/json');
      }
      return { status: 201, json: { proxies: await registry.populate(parsed) } };
    }
    if (root === 'reset') {
      if (method !== 'POST') return NOT_ALLOWED;
      await registry.reset();
      return NO_CONTENT;
    }
    return NOT_FOUND;
  }
  if (root !== 'proxies') return NOT_FOUND;
  if (segments.length === 2) {
    if (!['GET', 'POST', 'PATCH', 'DELETE'].includes(method)) return NOT_ALLOWED;
    const proxy = registry.get(proxyName);
    if (method === 'GET') return { status: 200, json: proxy.toJSON() };
    if (method === 'DELETE') {
      await registry.remove(proxyName);
      return NO_CONTENT;
    }
    return { status: 200, json: await registry.update(proxyName, body()) };
  }
  if (sub !== 'toxics') return NOT_FOUND;
  if (segments.length === 3) {
    if (method !== 'GET' && method !== 'POST') return NOT_ALLOWED;
    const proxy = registry.get(proxyName);
    if (method === 'GET') return { status: 200, json: proxy.listToxics() };
    // Toxiproxy answers 200 (not 201) for a new toxic.
    return { status: 200, json: registry.addToxic(proxyName, body()) };
  }
  if (!['GET', 'POST', 'PATCH', 'DELETE'].includes(method)) return NOT_ALLOWED;
  const proxy = registry.get(proxyName);
  const toxic = proxy.getToxic(toxicName);
  if (method === 'GET') return { status: 200, json: proxy.listToxics().find((t) => t.name === toxic.name) };
  if (method === 'DELETE') {
    proxy.removeToxic(toxicName);
    return NO_CONTENT;
  }
  return { status: 200, json: registry.updateToxic(proxyName, toxicName, body()) };
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.raw !== undefined) {
    res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8' });
    res.end(reply.raw);
  } else if (reply.json !== undefined) {
    res.writeHead(reply.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(reply.json));
  } else {
    res.writeHead(reply.status);
    res.end();
  }
}

async function handle(registry: Registry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('X-Toxiproxy-Request-Id', requestId());
  const text = await readBody(req);
  if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
    // Toxiproxy refuses browsers, so a web page cannot drive it (CSRF).
    const err = new ApiError(403, 'User agent not allowed');
    send(res, { status: 403, raw: err.body(), contentType: err.contentType });
    return;
  }
  const segments = splitPath(req.url);
  let reply: Reply;
  try {
    if (segments === null) reply = NOT_FOUND;
    else if (text instanceof ApiError) throw text;
    else reply = await registry.run(() => route(registry, req.method ?? 'GET', segments, text));
  } catch (caught) {
    const err = toApiError(caught);
    reply = { status: err.status, raw: err.body(), contentType: err.contentType };
  }
  send(res, reply);
}

/** An HTTP server serving the Toxiproxy API for `registry`; not yet listening. */
export function createApiServer(registry: Registry): http.Server {
  return http.createServer((req, res) => {
    handle(registry, req, res).catch(() => {
      // Last resort: the response could not even be written; never crash the server.
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}
