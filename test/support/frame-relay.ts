// An in-path attacker on real TCP: a relay between a dialling node and its
// peer that parses frames and can drop one, hold one back until the next
// passes (reorder), blackhole a connection while keeping it open, or inject
// raw bytes. Rules are one-shot and apply to the first matching frame.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { FrameReader, FrameType, encodeFrame, type Frame } from '../../src/mesh/protocol/wire.ts';

/** c2s: from the dialling side to the listener; s2c: back. */
export type Direction = 'c2s' | 's2c';
type Rule = { dir: Direction; match: (f: Frame) => boolean; action: 'drop' | 'hold'; done?: () => void };

interface Link {
  client: Socket;
  server: Socket;
  blackholed: boolean;
  held: Partial<Record<Direction, Frame>>;
}

/** A RECORD big enough to carry a DATA message of `bytes` or more (heartbeats and ACKs are tiny). */
export const bigRecord =
  (bytes = 1000) =>
  (f: Frame) =>
    f.type === FrameType.RECORD && f.body.length >= bytes;

export class FrameRelay {
  target = { host: '127.0.0.1', port: 0 };
  readonly links = new Set<Link>();
  private rules: Rule[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FrameRelay> {
    const server = createServer();
    const relay = new FrameRelay(server);
    server.on('connection', (client) => relay.link(client));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return relay;
  }

  get address(): string {
    return `127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Drops the next matching frame; resolves once it has. */
  drop(dir: Direction, match: (f: Frame) => boolean): Promise<void> {
    return new Promise((done) => this.rules.push({ dir, match, action: 'drop', done }));
  }

  /** Holds the next matching frame back and sends it right after the next frame in that direction. */
  hold(dir: Direction, match: (f: Frame) => boolean): Promise<void> {
    return new Promise((done) => this.rules.push({ dir, match, action: 'hold', done }));
  }

  /** Every current connection stops forwarding (TCP stays open); new connections pass. */
  blackhole(): void {
    for (const l of this.links) l.blackholed = true;
  }

  /** Writes a frame into every current connection, towards the listener (c2s) or the dialler (s2c). */
  inject(dir: Direction, type: FrameType, body: Uint8Array): void {
    for (const l of this.links) (dir === 'c2s' ? l.server : l.client).write(encodeFrame(type, body));
  }

  async close(): Promise<void> {
    for (const l of this.links) {
      l.client.destroy();
      l.server.destroy();
    }
    await new Promise((r) => this.server.close(r));
  }

  private link(client: Socket): void {
    const server = connect(this.target.port, this.target.host);
    const l: Link = { client, server, blackholed: false, held: {} };
    this.links.add(l);
    const end = () => {
      this.links.delete(l);
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
    this.pipe(l, client, server, 'c2s');
    this.pipe(l, server, client, 's2c');
  }

  private pipe(l: Link, from: Socket, to: Socket, dir: Direction): void {
    const reader = new FrameReader();
    from.on('data', (chunk: Buffer) => {
      if (l.blackholed) return;
      for (const f of reader.push(new Uint8Array(chunk))) {
        const i = this.rules.findIndex((r) => r.dir === dir && r.match(f));
        const rule = i >= 0 ? this.rules.splice(i, 1)[0] : undefined;
        if (rule?.action === 'drop') {
          rule.done?.();
          continue;
        }
        if (rule?.action === 'hold') {
          l.held[dir] = f;
          rule.done?.();
          continue;
        }
        to.write(encodeFrame(f.type, f.body));
        const held = l.held[dir];
        if (held) {
          l.held[dir] = undefined;
          to.write(encodeFrame(held.type, held.body));
        }
      }
    });
  }
}
