// A named proxy: a listener on `listen`, a Link per accepted connection to
// `upstream`, and the toxics applied to every link (live ones included).
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import { bindErrorText, formatAddress, parseHostPort } from './address.ts';
import { ApiError, toxicExists, toxicNotFound } from './errors.ts';
import { Link } from './link.ts';
import { toxicJson, type ToxicJson, type ToxicSpec } from './toxic-spec.ts';

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

export interface ProxyConfig {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export class ToxicProxy {
  readonly name: string;
  private listenAddress: string;
  private upstreamAddress: string;
  private enabled = false;
  private server: Server | null = null;
  private readonly links = new Set<Link>();
  /** Insertion order; the JSON lists upstream toxics first, as Toxiproxy does. */
  private toxics: ToxicSpec[] = [];

  constructor(config: ProxyConfig) {
    this.name = config.name;
    this.listenAddress = config.listen;
    this.upstreamAddress = config.upstream;
  }

  get listen(): string {
    return this.listenAddress;
  }
  get upstream(): string {
    return this.upstreamAddress;
  }

  toJSON(): ProxyJson {
    return {
      name: this.name,
      listen: this.listenAddress,
      upstream: this.upstreamAddress,
      enabled: this.enabled,
      toxics: this.listToxics(),
    };
  }

  /** Starts listening; the resolved address (port 0 -> real port) replaces `listen`. */
  async start(): Promise<void> {
    if (this.enabled) return;
    const where = parseHostPort(this.listenAddress === '' ? ':0' : this.listenAddress);
    if ('error' in where) throw new ApiError(500, `listen tcp: ${where.error}`);
    // Paused so that the Link can take the socket over before anything is read.
    const server = net.createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new ApiError(500, `listen tcp ${this.listenAddress}: ${bindErrorText(err)}`)),
      );
      server.listen({ host: where.host, port: where.port, exclusive: true }, () => resolve());
    });
    // After a successful bind, runtime listener errors must not crash the process.
    server.removeAllListeners('error');
    server.on('error', () => {});
    this.server = server;
    this.listenAddress = formatAddress(server.address() as AddressInfo);
    this.enabled = true;
  }

  /** Stops listening and drops every live connection. */
  async stop(): Promise<void> {
    this.enabled = false;
    const server = this.server;
    this.server = null;
    for (const link of [...this.links]) link.close('destroy');
    this.links.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Applies an update: enabling/disabling, or a new listen/upstream (which drops live connections). */
  async update(next: ProxyConfig): Promise<void> {
    const moved = next.listen !== this.listenAddress || next.upstream !== this.upstreamAddress;
    if (moved || !next.enabled) await this.stop();
    this.listenAddress = next.listen;
    this.upstreamAddress = next.upstream;
    if (next.enabled) await this.start();
  }

  listToxics(): ToxicJson[] {
    const ordered = [...this.toxics.filter((t) => t.direction === 'upstream'), ...this.toxics.filter((t) => t.direction === 'downstream')];
    return ordered.map(toxicJson);
  }

  getToxic(name: string): ToxicSpec {
    const found = this.toxics.find((t) => t.name === name);
    if (!found) throw toxicNotFound();
    return found;
  }

  hasToxic(name: string): boolean {
    return this.toxics.some((t) => t.name === name);
  }

  addToxic(spec: ToxicSpec): void {
    if (this.hasToxic(spec.name)) throw toxicExists();
    this.toxics.push(spec);
    for (const link of this.links) link.addToxic(spec);
  }

  updateToxic(spec: ToxicSpec): void {
    const i = this.toxics.findIndex((t) => t.name === spec.name);
    if (i < 0) throw toxicNotFound();
    this.toxics[i] = spec;
    for (const link of this.links) link.updateToxic(spec);
  }

  removeToxic(name: string): void {
    const spec = this.getToxic(name);
    this.toxics = this.toxics.filter((t) => t !== spec);
    for (const link of this.links) link.removeToxic(spec);
  }

  removeAllToxics(): void {
    for (const spec of [...this.toxics]) this.removeToxic(spec.name);
  }

  private accept(client: Socket): void {
    const target = parseHostPort(this.upstreamAddress);
    if ('error' in target || !this.enabled) {
      // An upstream that cannot be dialled: the client is closed, as Toxiproxy does.
      client.destroy();
      return;
    }
    client.on('error', () => {});
    const link = new Link(client, target, this.toxics, (done) => this.links.delete(done));
    this.links.add(link);
  }
}
