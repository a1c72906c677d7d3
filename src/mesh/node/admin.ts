// The node's admin HTTP API, loopback only. It is how the harness drives a
// node process: status, metrics, send, received, rotate. Bodies are small
// JSON documents; every error is JSON `{error}` with a meaningful status.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { MAX_TIMER_MS, splitAddress } from './config.ts';
import { reasonOf } from '../protocol/errors.ts';
import type { MeshNode } from './node.ts';

const MAX_BODY_BYTES = 256 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
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

function reply(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new HttpError(504, what)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}

async function route(node: MeshNode, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const key = `${req.method} ${url.pathname}`;
  switch (key) {
    case 'GET /status':
      return reply(res, 200, node.status());
    case 'GET /metrics':
      return reply(res, 200, await node.metrics.exposition(), node.metrics.contentType);
    case 'GET /received':
      return reply(res, 200, node.received());
    case 'POST /send': {
      const body = parseBody(sendBody, await readJson(req));
      const timeoutMs = body.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
      // On timeout the message stays queued and is retried; only the answer gives up.
      await withTimeout(node.send(body.to, body.payload), timeoutMs, `no acknowledgement from ${body.to} within ${timeoutMs} ms`);
      return reply(res, 200, { ok: true, to: body.to });
    }
    case 'POST /handshake': {
      // One fresh initiator handshake, answered with its outcome: 200 either way, the body says which.
      const body = parseBody(handshakeBody, await readJson(req));
      return reply(res, 200, await node.handshakeWith(body.peer));
    }
    case 'POST /rotate': {
      // Takes no parameters; a body, if any, must still be a JSON object.
      parseBody(z.object({}), await readJson(req));
      const results = await node.rotate();
      return reply(res, results.every((r) => r.ok) ? 200 : 502, { sessions: results });
    }
    default:
      throw new HttpError(
        ['/status', '/metrics', '/received', '/send', '/handshake', '/rotate'].includes(url.pathname) ? 405 : 404,
        `no route ${key}`,
      );
  }
}

export async function startAdmin(node: MeshNode, address: string): Promise<{ server: Server; url: string }> {
  const { host, port } = splitAddress(address);
  const server = createServer((req, res) => {
    route(node, req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : e instanceof ConfigError ? (/unknown peer/.test(e.message) ? 404 : 400) : 500;
      const error = e instanceof Error ? e.message : String(e);
      if (status === 500) node.log.error({ err: error, reason: reasonOf(e) }, 'admin request failed');
      if (!res.headersSent) reply(res, status, { error });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new ConfigError(`cannot listen on admin address ${address}: ${e.message}`)));
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as { port: number }).port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}
