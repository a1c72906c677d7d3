// Entry points: start the embedded Toxiproxy-compatible server, or pick a
// real Toxiproxy when TOXIPROXY_URL says where one runs.
import type { AddressInfo, Socket } from 'node:net';
import { Registry } from './registry.ts';
import { createApiServer, EMULATED_VERSION } from './server.ts';

export { EMULATED_VERSION };
export { ApiError } from './errors.ts';
export type { ProxyJson } from './proxy.ts';
export type { ToxicJson, ToxicType, StreamDirection } from './toxic-spec.ts';

export interface ToxiproxyServerOptions {
  /** Interface for the HTTP API; default 127.0.0.1. */
  host?: string;
  /** Port for the HTTP API; default 8474, 0 picks a free one. */
  port?: number;
}

export interface ToxiproxyServer {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:8474 */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops every proxy, closes every connection and the API listener. */
  close(): Promise<void>;
}

export async function startToxiproxyServer(options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer> {
  const host = options.host ?? '127.0.0.1';
  const registry = new Registry();
  const server = createApiServer(registry);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 8474 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    close(): Promise<void> {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive API connections would hold close() open; drop them.
        for (const socket of sockets) socket.destroy();
        await registry.run(() => registry.closeAll());
        await closed;
      })();
      return closing;
    },
  };
}

export interface ToxiproxyEndpoint {
  /** Base URL of the Toxiproxy HTTP API to drive. */
  readonly url: string;
  /** True when this is the embedded server (started here, stopped by close()). */
  readonly embedded: boolean;
  /** Stops the embedded server; does nothing for a real one. */
  close(): Promise<void>;
}

/**
 * A real Toxiproxy when `TOXIPROXY_URL` is set (e.g. a CI service container),
 * otherwise a freshly started embedded server on a free loopback port.
 */
export async function toxiproxyFor(env: NodeJS.ProcessEnv = process.env): Promise<ToxiproxyEndpoint> {
  const external = env.TOXIPROXY_URL?.trim();
  if (external) {
    return { url: external.replace(/\/+$/, ''), embedded: false, close: async () => {} };
  }
  const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
  return { url: server.url, embedded: true, close: () => server.close() };
}
