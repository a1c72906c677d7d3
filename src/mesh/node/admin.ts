// The node's admin HTTP API, loopback only. It is how the harness drives a
// node process: status, metrics, send, received, rotate. Bodies are small
// JSON documents; every error is JSON `{error}` with a meaningful status.
//
// Every request passes the same gate before its route runs, because any
// local process, container in the namespace or browser page can reach a
// loopback port: `Host` must name the address the API is bound to (DNS
// rebinding), `Origin`, if sent, must be that same origin (cross-site
// posts), and a bearer token is required on every route not marked public.
// A body must be `application/json` and at most MAX_BODY_BYTES.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { MAX_TIMER_MS, splitAddress } from './config.ts';
import { reasonOf } from '../protocol/errors.ts';
import type { MeshNode } from './node.ts';
import { OutboxFullError } from './peer.ts';
import { EVENT_KINDS, MAX_EVENT_PAYLOAD } from '../control/events.ts';

export const MAX_BODY_BYTES = 256 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  if (!hasBody(req)) return Promise.resolve({});
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json')
    return Promise.reject(new HttpError(415, `body must be application/json, got ${type ? JSON.stringify(type) : 'no Content-Type'}`));
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES)
    return Promise.reject(new HttpError(413, `body of ${req.headers['content-length']} bytes exceeds ${MAX_BODY_BYTES}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume(); // discard the rest so the 413 can be read
        reject(new HttpError(413, `body exceeds ${MAX_BODY_BYTES} bytes`));
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        reject(new HttpError(400, 'body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

const DEFAULT_SEND_TIMEOUT_MS = 30_000;

const sendBody = z.object({
  to: z.string({ error: 'must be a peer id string' }),
  payload: z.string({ error: 'must be a UTF-8 string' }),
  /** How long the answer waits for the ACK; a timer, so at most 2^31-1 ms (longer ones would fire at once). */
  timeoutMs: z
    .number({ error: 'must be a number of milliseconds' })
    .int('must be an integer number of milliseconds')
    .positive('must be positive')
    .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (2^31-1)`)
    .optional(),
});

const handshakeBody = z.object({ peer: z.string({ error: 'must be a peer id string' }) });

const proposeBody = z.object({
  kind: z.enum(EVENT_KINDS, { error: `must be one of ${EVENT_KINDS.join(', ')}` }),
  /** revoke: the node id; rotate-ca: the new CA certificate (hex); policy: the policy text. */
  payload: z.string({ error: 'must be a string' }).max(MAX_EVENT_PAYLOAD, `must be at most ${MAX_EVENT_PAYLOAD} characters`),
});

const linksBody = z.object({
  peer: z.string({ error: 'must be a peer id string' }),
  up: z.boolean({ error: 'must be true or false' }),
});

/** 400 naming the first bad field, e.g. `field "timeoutMs": must be positive`; a non-object body is named as such. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, `body must be a JSON object, got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`);
  }
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new HttpError(400, `field "${issue.path.join('.')}": ${issue.message}`);
}

function reply(res: ServerResponse, status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new HttpError(504, what)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}

type Handler = (node: MeshNode, req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The routes, `METHOD /path`: adding an endpoint is one entry. `public` routes need no token when the config allows it. */
const ROUTES: Record<string, { handler: Handler; public?: boolean }> = {
  'GET /status': { handler: async (node, _req, res) => reply(res, 200, node.status()) },
  'GET /metrics': {
    public: true,
    handler: async (node, _req, res) => reply(res, 200, await node.metrics.exposition(), node.metrics.contentType),
  },
  'GET /received': { handler: async (node, _req, res) => reply(res, 200, node.received()) },
  'POST /send': {
    handler: async (node, req, res) => {
      const body = parseBody(sendBody, await readJson(req));
      const timeoutMs = body.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
      // On timeout the message stays queued and is retried; only the answer gives up.
      await withTimeout(node.send(body.to, body.payload), timeoutMs, `no acknowledgement from ${body.to} within ${timeoutMs} ms`);
      reply(res, 200, { ok: true, to: body.to });
    },
  },
  'POST /handshake': {
    // One fresh initiator handshake, answered with its outcome: 200 either way, the body says which.
    handler: async (node, req, res) => {
      const body = parseBody(handshakeBody, await readJson(req));
      reply(res, 200, await node.handshakeWith(body.peer));
    },
  },
  // Control plane (docs/control-plane.md §8, docs/mesh.md "Admin API").
  'POST /propose': {
    handler: async (node, req, res) => {
      const body = parseBody(proposeBody, await readJson(req));
      reply(res, 202, node.control.propose(body.kind, body.payload));
    },
  },
  'GET /log': {
    handler: async (node, req, res) => {
      const proposals = new URL(req.url ?? '/', 'http://admin').searchParams.get('proposals');
      reply(res, 200, node.control.logView(proposals === '1' || proposals === 'true'));
    },
  },
  'POST /links': {
    handler: async (node, req, res) => {
      const body = parseBody(linksBody, await readJson(req));
      reply(res, 200, node.setLink(body.peer, body.up));
    },
  },
  'POST /rotate': {
    handler: async (node, req, res) => {
      // Takes no parameters; a body, if any, must still be a JSON object.
      parseBody(z.object({}), await readJson(req));
      const results = await node.rotate();
      reply(res, results.every((r) => r.ok) ? 200 : 502, { sessions: results });
    },
  },
};

export interface AdminOptions {
  /** The bearer token every non-public route requires. */
  token: string;
  /** May GET /metrics be scraped without the token? (config `adminMetricsPublic`, default true) */
  metricsPublic: boolean;
}

function sameToken(header: string | undefined, token: Buffer): boolean {
  const m = /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]);
  return given.length === token.length && timingSafeEqual(given, token);
}

/** Host, Origin and token; throws the HttpError the request gets. */
function gate(req: IncomingMessage, allowedHosts: ReadonlySet<string>, token: Buffer, isPublic: boolean): void {
  const host = req.headers.host ?? '';
  if (!allowedHosts.has(host.toLowerCase()))
    throw new HttpError(403, `Host ${JSON.stringify(host)} is not this API (${[...allowedHosts][0]}): refused (DNS rebinding defence)`);
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`)
    throw new HttpError(403, `cross-origin request from ${JSON.stringify(origin)} refused`);
  if (!isPublic && !sameToken(req.headers.authorization, token))
    throw new HttpError(401, 'missing or wrong bearer token (Authorization: Bearer <token from the node admin token file>)');
}

export async function startAdmin(node: MeshNode, address: string, o: AdminOptions): Promise<{ server: Server; url: string }> {
  const { host, port } = splitAddress(address);
  const token = Buffer.from(o.token);
  let allowedHosts: Set<string> = new Set();
  const server = createServer((req, res) => {
    const handle = async () => {
      const url = new URL(req.url ?? '/', 'http://admin');
      const key = `${req.method} ${url.pathname}`;
      const route = ROUTES[key];
      gate(req, allowedHosts, token, !!route?.public && o.metricsPublic);
      if (!route) {
        const known = Object.keys(ROUTES).some((k) => k.endsWith(` ${url.pathname}`));
        throw new HttpError(known ? 405 : 404, `no route ${key}`);
      }
      await route.handler(node, req, res);
    };
    handle().catch((e: unknown) => {
      const status =
        e instanceof HttpError
          ? e.status
          : e instanceof OutboxFullError
            ? 503
            : e instanceof ConfigError
              ? /unknown peer/.test(e.message)
                ? 404
                : 400
              : 500;
      const error = e instanceof Error ? e.message : String(e);
      if (status === 500) node.log.error({ err: error, reason: reasonOf(e) }, 'admin request failed');
      const extra = e instanceof OutboxFullError ? { reason: 'outbox_full' } : e instanceof HttpError ? e.extra : {};
      const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      if (status === 413) headers.connection = 'close';
      if (!res.headersSent) reply(res, status, { error, ...extra }, 'application/json', headers);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new ConfigError(`cannot listen on admin address ${address}: ${e.message}`)));
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as { port: number }).port;
  const literal = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`${literal}:${bound}`, ...(host === 'localhost' ? [] : [`localhost:${bound}`])]);
  return { server, url: `http://${literal}:${bound}` };
}
