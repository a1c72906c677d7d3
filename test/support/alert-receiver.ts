// A real local HTTP server standing in for Alertmanager: it records every
// request and answers with scripted statuses, so tests see exactly what a
// node would put on the wire.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Responder = (
  request: ReceivedRequest,
  index: number,
) => { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface AlertReceiver {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  requests: ReceivedRequest[];
  /** Parsed JSON bodies of the POSTs to /api/v2/alerts. */
  alertPosts(): unknown[];
  /** Resolves once at least n requests have arrived. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startAlertReceiver(respond: Responder = () => ({ status: 200 })): Promise<AlertReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      for (const wake of waiters.splice(0)) wake();
      const answer = respond(request, requests.length - 1);
      if (answer === 'hang') return; // never answer: exercises the client's timeout
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    alertPosts: () => requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/alerts').map((r) => JSON.parse(r.body) as unknown),
    async waitForRequests(n: number, timeoutMs = 5000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > deadline) throw new Error(`alert receiver got ${requests.length} requests, wanted ${n}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
