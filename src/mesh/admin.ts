// The node's admin HTTP API, loopback only. It is how the harness drives a
// node process: status, metrics, send, received, rotate. Bodies are small
// JSON documents; every error is JSON `{error}` with a meaningful status.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ConfigError } from '../errors.ts';
import { splitAddress } from './config.ts';
import { reasonOf } from './errors.ts';
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

function reply(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new HttpError(504, what)), ms)))]).finally(() => clearTimeout(t));
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
      const body = (await readJson(req)) as { to?: unknown; payload?: unknown; timeoutMs?: unknown };
      if (typeof body.to !== 'string') throw new HttpError(400, 'field "to" must be a peer id string');
      if (typeof body.payload !== 'string') throw new HttpError(400, 'field "payload" must be a UTF-8 string');
      const timeoutMs = typeof body.timeoutMs === 'number' && body.timeoutMs > 0 ? body.timeoutMs : 30_000;
      // On timeout the message stays queued and is retried; only the answer gives up.
      await withTimeout(node.send(body.to, body.payload), timeoutMs, `no acknowledgement from ${body.to} within ${timeoutMs} ms`);
      return reply(res, 200, { ok: true, to: body.to });
    }
    case 'POST /rotate': {
      const results = await node.rotate();
      return reply(res, results.every((r) => r.ok) ? 200 : 502, { sessions: results });
    }
    default:
      throw new HttpError(['/status', '/metrics', '/received', '/send', '/rotate'].includes(url.pathname) ? 405 : 404, `no route ${key}`);
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
