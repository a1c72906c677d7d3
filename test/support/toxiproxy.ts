// Helpers for tests and benches that measure a Toxiproxy (embedded or real)
// with real TCP: an echo server, a probe client that timestamps what it
// receives, and a lock so test files do not disturb a shared real server.
import { open, rm, stat } from 'node:fs/promises';
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { Toxiproxy } from 'toxiproxy-node-client';
import { toxiproxyFor } from '../../chaos/toxiproxy/index.ts';

export interface EchoServer {
  readonly port: number;
  /** "127.0.0.1:<port>", ready to use as a proxy upstream. */
  readonly address: string;
  close(): Promise<void>;
}

/** Echoes every byte back; `greeting` (if given) is sent first on each connection. */
export async function startEchoServer(greeting?: string): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const server: Server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (greeting !== undefined) socket.write(greeting);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface CloseInfo {
  /** Milliseconds (performance.now) when the socket closed. */
  readonly at: number;
  /** The peer sent FIN. */
  readonly ended: boolean;
  /** Error code such as ECONNRESET, if the socket failed. */
  readonly error: string | undefined;
}

/** A client socket that records everything it receives, with times. */
export class Probe {
  readonly chunks: { at: number; data: Buffer }[] = [];
  received = 0;
  endedAt: number | undefined;
  errorCode: string | undefined;
  closeInfo: CloseInfo | undefined;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => {
      this.chunks.push({ at: performance.now(), data });
      this.received += data.length;
      this.notify();
    });
    socket.on('end', () => {
      this.endedAt = performance.now();
      this.notify();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.errorCode = err.code ?? err.message;
    });
    socket.on('close', () => {
      this.closeInfo = { at: performance.now(), ended: this.endedAt !== undefined, error: this.errorCode };
      this.notify();
    });
  }

  /** `allowHalfOpen` keeps our side writable after the peer's FIN, to see whether it really closed. */
  static connect(port: number, host = '127.0.0.1', allowHalfOpen = false): Promise<Probe> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, allowHalfOpen });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new Probe(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Everything received so far, as one buffer. */
  data(): Buffer {
    return Buffer.concat(this.chunks.map((c) => c.data));
  }

  write(data: Buffer | string): void {
    this.socket.write(data);
  }

  /** Resolves when `predicate` holds; rejects after `timeoutMs` with `what` in the message. */
  until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (received ${this.received} bytes)`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** Waits until `total` bytes have arrived in all. */
  bytes(total: number, timeoutMs = 5000): Promise<void> {
    return this.until(() => this.received >= total, timeoutMs, `${total} bytes`);
  }

  /** Waits for the socket to close, however it closes. */
  async closed(timeoutMs = 5000): Promise<CloseInfo> {
    await this.until(() => this.closeInfo !== undefined, timeoutMs, 'the connection to close');
    return this.closeInfo as CloseInfo;
  }

  /** Sends `payload` and times (ms) until as many bytes have come back. */
  async roundTrip(payload: Buffer | string = 'ping-ping-ping!!', timeoutMs = 5000): Promise<number> {
    const size = Buffer.byteLength(payload);
    const target = this.received + size;
    const start = performance.now();
    this.write(payload);
    await this.bytes(target, timeoutMs);
    return performance.now() - start;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** Resolves when a connection to `port` is refused; rejects if it is accepted. */
export function expectRefused(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error(`connection to ${host}:${port} was accepted`));
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** The port of a "host:port" / "[v6]:port" listen string. */
export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * An exclusive lock shared by processes on this machine, keyed by the
 * Toxiproxy URL: `POST /reset` is global, so test files against one real
 * server must take turns. Stale locks (older than `staleMs`) are broken.
 */
export async function lockServer(url: string, staleMs = 120_000): Promise<() => Promise<void>> {
  const digest = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `pqc-harness-toxiproxy-${digest}.lock`);
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const info = await stat(path).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > staleMs) await rm(path, { force: true });
      await sleep(100);
    }
  }
}

export interface ToxiproxySession {
  readonly url: string;
  readonly client: Toxiproxy;
  /** False when TOXIPROXY_URL pointed at a real server. */
  readonly embedded: boolean;
  /** A proxy name unique to this process, so parallel runs never collide. */
  name(label: string): string;
  /** Deletes this session's proxies, releases the lock, stops an embedded server. */
  close(): Promise<void>;
}

/** A Toxiproxy to test against: the real one at TOXIPROXY_URL (locked for us), else an embedded one. */
export async function openToxiproxySession(env: NodeJS.ProcessEnv = process.env): Promise<ToxiproxySession> {
  const endpoint = await toxiproxyFor(env);
  const unlock = endpoint.embedded ? async (): Promise<void> => {} : await lockServer(endpoint.url);
  const client = new Toxiproxy(endpoint.url);
  const prefix = `pqc${process.pid}_`;
  return {
    url: endpoint.url,
    client,
    embedded: endpoint.embedded,
    name: (label) => `${prefix}${label}`,
    close: async () => {
      try {
        if (!endpoint.embedded) {
          const all = await client.getAll();
          await Promise.all(
            Object.values(all)
              .filter((p) => p.name.startsWith(prefix))
              .map((p) => p.remove()),
          );
        }
      } finally {
        await unlock();
        await endpoint.close();
      }
    },
  };
}
