// The attacker on a real TCP path: a loopback listener in front of a node's
// mesh port. Each connection accepted gets its own Attacker (the rules of a
// check), the frames of each direction are parsed as they arrive and go
// through its rules; what the rules let through is re-framed onto the other
// socket. Bytes that do not parse as frames end the link (the attacker is
// protocol-aware; a garbage stream is not its business). Loopback only.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { FrameReader, encodeFrame, type Frame } from '../../../src/mesh/protocol/wire.ts';
import { Attacker, type Direction } from './attacker.ts';

export interface TcpLink {
  attacker: Attacker;
  /** The dialling side's socket (i2r comes from it). */
  client: Socket;
  /** Our socket to the listening node (r2i comes from it). */
  server: Socket;
}

export class TcpAttacker {
  readonly links: TcpLink[] = [];
  private readonly listener: Server;
  private readonly waiting: { n: number; resolve: (l: TcpLink) => void }[] = [];

  private constructor(
    private readonly upstreamPort: number,
    private readonly rules: (linkIndex: number) => Attacker,
  ) {
    this.listener = createServer((client) => this.splice(client));
  }

  /** Listens on 127.0.0.1 (an ephemeral port) in front of the node at `upstreamPort`. */
  static async start(upstreamPort: number, rules: (linkIndex: number) => Attacker = () => new Attacker()): Promise<TcpAttacker> {
    const a = new TcpAttacker(upstreamPort, rules);
    await new Promise<void>((resolve, reject) => {
      a.listener.once('error', reject);
      a.listener.listen(0, '127.0.0.1', resolve);
    });
    return a;
  }

  get port(): number {
    return (this.listener.address() as { port: number }).port;
  }

  /** Resolves with link `n` (0-based) once a node has dialled through it. */
  link(n: number): Promise<TcpLink> {
    const have = this.links[n];
    if (have) return Promise.resolve(have);
    return new Promise((resolve) => this.waiting.push({ n, resolve }));
  }

  /** Delivers a frame the attacker made on link `n`, outside any rule. */
  inject(n: number, direction: Direction, frame: Frame): void {
    const l = this.links[n];
    if (!l) throw new Error(`no TCP link ${n} through the attacker yet`);
    l.attacker.inject(direction, frame);
  }

  async close(): Promise<void> {
    for (const l of this.links) {
      l.client.destroy();
      l.server.destroy();
    }
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private splice(client: Socket): void {
    const server = connect(this.upstreamPort, '127.0.0.1');
    const attacker = this.rules(this.links.length);
    const write = (to: Socket) => (f: Frame) => {
      if (!to.destroyed) to.write(encodeFrame(f.type, f.body));
    };
    attacker.attach({ i2r: write(server), r2i: write(client) });
    const link = { attacker, client, server };
    this.links.push(link);
    this.parse(client, 'i2r', link);
    this.parse(server, 'r2i', link);
    const n = this.links.length - 1;
    for (const w of this.waiting.filter((x) => x.n === n)) w.resolve(link);
  }

  private parse(from: Socket, direction: Direction, link: TcpLink): void {
    const reader = new FrameReader();
    const other = from === link.client ? link.server : link.client;
    from.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } catch {
        from.destroy();
        other.destroy();
        return;
      }
      for (const f of frames) link.attacker.forward(direction, f);
    });
    from.on('end', () => other.end());
    from.on('error', () => other.destroy());
    from.on('close', () => other.destroy());
  }
}
