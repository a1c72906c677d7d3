// A mesh node: wires configuration, identity, backend, fallback controller,
// metrics, the listener, the peers and the admin API into one process.
// The protocol object is injectable so mutant nodes differ from the
// reference in exactly one seam and in nothing else.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { CryptoBackend } from '../../crypto/backend.ts';
import { checkSwitches } from '../../crypto/switches.ts';
import { ConfigError } from '../../errors.ts';
import { logger as rootLogger } from '../../log.ts';
import { splitAddress, type NodeConfig } from './config.ts';
import { FramedConnection } from './connection.ts';
import { MeshError, reasonOf } from '../protocol/errors.ts';
import { createFallbackController, fallbackFromEnv, type FallbackController, type FallbackExpiry } from '../fallback/controller.ts';
import { initiate, respond, type HandshakeConfig, type HandshakeResult } from '../protocol/handshake.ts';
import { trustAnchor, verifyCertificate, type Identity, type TrustAnchor } from '../protocol/certificate.ts';
import { readCertificate, readIdentity } from './identity-files.ts';
import { Inbox, type Delivered } from './inbox.ts';
import { MeshMetrics } from '../metrics.ts';
import { OutboxFullError, Peer } from './peer.ts';
import { referenceProtocol, type MeshProtocol } from '../protocol/seams.ts';
import { Session } from './session.ts';
import { chooseBackend } from './backend-choice.ts';
import type { NodeStatus, PeerLiveness, RotationResult } from './status.ts';
import { PreauthBudget } from './preauth.ts';
import { WarnLimiter } from './log-limiter.ts';
import { bindCipherSuites, type CipherSuite, type CipherSuiteName } from '../protocol/ciphersuites.ts';
import { MAX_PAYLOAD_BYTES } from '../protocol/wire.ts';
import { encodeAppMessage, MAX_CONTROL_BYTES } from '../protocol/messages.ts';
import type { ControlProtocol } from '../control/seams.ts';
import type { CertifiedEntry } from '../control/votes.ts';
import { NodeControl } from './control.ts';

export interface NodeOptions {
  config: NodeConfig;
  protocol?: MeshProtocol;
  /** The control plane's seams (a mutant node replaces one; test only). */
  control?: ControlProtocol;
  /** Overrides config.backend (in-process tests and benches). */
  backend?: CryptoBackend;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Called once fallback has expired and every session is closed; the process should exit 3. */
  onFallbackExpired?: (expiry: FallbackExpiry) => void;
}

export type { NodeStatus, PeerLiveness, PeerStatus, RotationResult } from './status.ts';

/** What `POST /handshake` answers: one fresh initiator handshake to a peer, timed by the node. */
export interface HandshakeProbeResult {
  peer: string;
  ok: boolean;
  latencyMs: number;
  suite?: CipherSuiteName;
  reason?: string;
  error?: string;
}

const CLASSICAL: CipherSuiteName = 'X25519-ED25519';

export class MeshNode {
  readonly id: string;
  readonly metrics = new MeshMetrics();
  readonly fallback: FallbackController;
  private readonly peers = new Map<string, Peer>();
  private readonly sockets = new Set<Socket>();
  private readonly inbox: Inbox;
  private server: Server | undefined;
  private listenPort = 0;
  private stopping = false;
  private readonly preauth: PreauthBudget;
  private readonly warnings: WarnLimiter;
  /** The control plane (docs/control-plane.md §8). */
  readonly control: NodeControl;
  /** Peers cut off by POST /links {up: false}: no session, no handshake, no control traffic. */
  private readonly linksDown = new Set<string>();
  /** Peers revoked by a committed event: refused with `revoked`. */
  private readonly revoked = new Set<string>();

  private constructor(
    readonly config: NodeConfig,
    readonly backend: CryptoBackend,
    private readonly identity: Identity,
    private readonly trust: TrustAnchor,
    private readonly suites: Map<CipherSuiteName, CipherSuite>,
    readonly protocol: MeshProtocol,
    readonly log: Logger,
    private readonly o: NodeOptions,
    fallback: (m: MeshMetrics) => FallbackController,
  ) {
    this.id = config.id;
    this.fallback = fallback(this.metrics);
    this.inbox = new Inbox(config.stateDir!);
    this.metrics.peersReachableFrom(() => this.liveness().filter((p) => p.reachable).length);
    const l = config.limits;
    this.preauth = new PreauthBudget(
      {
        connections: l.preauthConnections,
        connectionsPerSource: l.preauthConnectionsPerSource,
        bytes: l.preauthBytes,
        signaturesPerSecondPerPeer: l.helloSignaturesPerSecondPerPeer,
        signaturesPerSecond: l.helloSignaturesPerSecond,
      },
      this.metrics,
    );
    this.warnings = new WarnLimiter(log);
    this.control = new NodeControl({
      identity,
      backend,
      trust,
      peers: config.peers.map((p) => p.id),
      heartbeatMs: config.timers.heartbeatIntervalMs,
      incarnation: this.inbox.incarnation,
      stateDir: config.stateDir!,
      protocol: o.control,
      logger: log,
      lastHeard: (peer) => {
        const s = this.cutOff(peer) ? undefined : this.peers.get(peer)?.session;
        return s?.open ? s.lastHeard : undefined;
      },
      send: (peer, relay) => this.sendControl(peer, relay),
      onCommit: (e) => this.applyCommit(e),
    });
    this.metrics.controlFrom(() => {
      const { membership: m, gossip, quorum } = this.control.plane.status();
      return {
        members: m.members.length,
        minority: m.partition === 'minority',
        refused: { gossip: gossip.dropped, vote: quorum.votesRefused, entry: quorum.entriesRefused },
      };
    });
  }

  static async start(o: NodeOptions): Promise<MeshNode> {
    const c = o.config;
    const env = o.env ?? process.env;
    const log = (o.logger ?? rootLogger).child({ node: c.id });
    checkSwitches(env);
    const fb = fallbackFromEnv(env);
    const { backend, loadFailure } = await chooseBackend(c, env, log, o.backend);
    const identity = readIdentity(c.certificate, c.key);
    const ca = readCertificate(c.ca);
    const trust = trustAnchor(ca, backend);
    try {
      verifyCertificate(identity.certificate.encoded, trust);
    } catch (e) {
      throw new ConfigError(`${c.certificate}: not a valid certificate of CA ${c.ca}: ${(e as Error).message}`);
    }
    if (identity.certificate.nodeId !== c.id)
      throw new ConfigError(`${c.certificate} is for ${identity.certificate.nodeId}, config id is ${c.id}`);
    const all = bindCipherSuites(backend);
    const suites = loadFailure ? new Map([...all].filter(([n]) => n === CLASSICAL)) : all;
    const node = new MeshNode(c, backend, identity, trust, suites, o.protocol ?? referenceProtocol, log, o, (metrics) =>
      createFallbackController({
        nodeId: c.id,
        metrics,
        logger: log,
        ttlSeconds: fb.ttlSeconds ?? c.fallback.ttlSeconds,
        alertUrl: fb.alertUrl ?? c.fallback.alertUrl,
      }),
    );
    if (fb.pqcDisabled) node.fallback.activate('disabled_by_env', 'X0TTA6BL4_DISABLE_PQC is set');
    if (loadFailure) node.fallback.activate('backend_load_failed', loadFailure);
    node.fallback.onExpired((expiry) => node.failClosed(expiry));
    await node.listen();
    node.startPeers();
    node.control.start();
    return node;
  }

  get listenAddress(): string {
    return `${splitAddress(this.config.listen).host}:${this.listenPort}`;
  }

  // ---- policy ---------------------------------------------------------------

  private classicalAllowedWith(peerId: string): boolean {
    const p = this.config.peers.find((x) => x.id === peerId);
    return p?.allowClassicalFallback ?? this.config.fallback.allowClassical;
  }

  /** What we offer as initiator: post-quantum suites, or only the classical one during fallback. */
  private offerFor(peerId: string): CipherSuiteName[] {
    if (this.fallback.state === 'pqc') return [...this.config.suites.offer];
    return this.fallback.allowClassical({ allowClassicalFallback: this.classicalAllowedWith(peerId) }) ? [CLASSICAL] : [];
  }

  /**
   * What we accept as responder. The classical suite only during an active
   * fallback episode and only where our policy for that peer allows it: in
   * state `pqc` we never sign a classical ACCEPT, whatever the peer policy says.
   */
  private accepts(suite: CipherSuite, peerId: string): boolean {
    if (!this.fallback.acceptsNewSessions()) return false;
    if (suite.classical) return this.fallback.state === 'fallback' && this.classicalAllowedWith(peerId);
    return this.fallback.state === 'pqc' && (this.config.suites.accept as readonly CipherSuiteName[]).includes(suite.name);
  }

  private handshakeConfig(peerId?: string): HandshakeConfig {
    return {
      identity: this.identity,
      trust: this.trust,
      suites: this.suites,
      offer: peerId ? this.offerFor(peerId) : [],
      accepts: (s, p) => this.accepts(s, p),
      isPeer: (id) => {
        if (this.revoked.has(id)) throw new MeshError('revoked', `${id} was revoked by a committed control-plane event`);
        return this.peers.has(id) && !this.linksDown.has(id);
      },
      admitHello: (claimed) => this.preauth.admitSignature(claimed),
      protocol: this.protocol,
      timeoutMs: this.config.timers.handshakeTimeoutMs,
    };
  }

  // ---- connections ------------------------------------------------------------

  private async listen(): Promise<void> {
    const { host, port } = splitAddress(this.config.listen);
    // pauseOnConnect: a refused connection is destroyed before anything is read from it (no read buffer).
    this.server = createServer({ pauseOnConnect: true }, (socket) => this.track(socket) && void this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', (e) => reject(new ConfigError(`cannot listen on ${this.config.listen}: ${e.message}`)));
      // A deep accept queue: a connection flood must not make honest SYNs wait for a retransmission.
      this.server!.listen({ port, host, backlog: 4096 }, resolve);
    });
    this.listenPort = (this.server.address() as { port: number }).port;
    // A hard ceiling enforced before Node builds a Socket: the cheapest refusal in a connection storm.
    // Room for every unauthenticated connection we admit plus two sessions per peer (old and new).
    this.server.maxConnections = this.config.limits.preauthConnections + 2 * this.config.peers.length + 8;
    this.server.on('drop', () => this.metrics.preauthRejected('connections'));
  }

  private track(socket: Socket): boolean {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return true;
  }

  private startPeers(): void {
    for (const p of this.config.peers) {
      const peer = new Peer({
        id: p.id,
        address: p.address,
        dials: this.id < p.id,
        incarnation: this.inbox.incarnation,
        inbox: this.inbox,
        reconnect: { minMs: this.config.timers.reconnectMinMs, maxMs: this.config.timers.reconnectMaxMs },
        outbox: { messages: this.config.limits.outboxMessagesPerPeer, bytes: this.config.limits.outboxBytesPerPeer },
        dial: () => this.dial(p.id, p.address),
        onControl: (relay) => {
          if (!this.cutOff(p.id)) this.control.receive(p.id, relay);
        },
        logger: this.log,
      });
      this.peers.set(p.id, peer);
      if (this.revoked.has(p.id)) peer.pause(() => undefined);
    }
    for (const peer of this.peers.values()) peer.start();
  }

  private async dial(peerId: string, address: string): Promise<Session> {
    if (this.stopping) throw new MeshError('peer_closed', 'node stopping');
    // A cut link or a revoked peer is not dialled, not even by POST /handshake.
    if (this.cutOff(peerId)) throw this.cutReason(peerId);
    const { host, port } = splitAddress(address);
    const socket = connect(port, host);
    this.track(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return this.handshake(new FramedConnection(socket), peerId);
  }

  /**
   * An inbound connection: admitted only within the pre-authentication
   * budgets, which it holds until its handshake ends. Its first complete
   * frame (HELLO) must arrive within timers.firstFrameTimeoutMs.
   */
  private async accept(socket: Socket): Promise<void> {
    if (this.stopping) return void socket.destroy();
    const source = socket.remoteAddress ?? 'unknown';
    const ticket = this.preauth.admit(source);
    if (!ticket) {
      this.warnings.warn(
        `refused:${source}`,
        { event: 'preauth_refused', source },
        `connection from ${source} refused: pre-authentication connection cap`,
      );
      return void socket.destroy();
    }
    const conn = new FramedConnection(socket);
    conn.limitBuffering((n) => ticket.buffer(n));
    socket.resume();
    conn.onClose(() => ticket.release());
    const firstFrame = setTimeout(() => {
      if (conn.framesIn > 0) return;
      this.metrics.preauthRejected('first_frame_timeout');
      conn.fail(new MeshError('timeout', `no complete first frame within ${this.config.timers.firstFrameTimeoutMs} ms`));
    }, this.config.timers.firstFrameTimeoutMs);
    try {
      await this.handshake(conn);
    } catch {
      // counted and logged in handshake()
    } finally {
      clearTimeout(firstFrame);
      conn.limitBuffering(undefined);
      ticket.release();
    }
  }

  /** Runs one handshake as initiator (peerId given) or responder; logs and counts it either way. */
  private async handshake(conn: FramedConnection, peerId?: string): Promise<Session> {
    const role = peerId ? 'initiator' : 'responder';
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let result: HandshakeResult;
    try {
      const c = this.handshakeConfig(peerId);
      if (peerId && c.offer.length === 0)
        throw new MeshError('policy', `no suite may be offered to ${peerId} (fallback state ${this.fallback.state})`);
      result = peerId ? await initiate(c, conn, peerId) : await respond(c, conn);
    } catch (e) {
      conn.fail(e);
      const reason = reasonOf(e);
      const expired = !this.fallback.acceptsNewSessions();
      this.metrics.handshakeFailed(expired ? 'fallback_expired' : reason, seconds());
      const who = peerId ?? conn.socket.remoteAddress;
      this.warnings.warn(
        `handshake:${role}:${reason}:${who}`,
        {
          event: 'handshake',
          outcome: 'failure',
          role,
          peer: peerId ?? null,
          reason,
          backend: this.backend.name,
          latencyMs: seconds() * 1000,
          detail: (e as Error).message,
        },
        `handshake ${role === 'initiator' ? 'to' : 'from'} ${peerId ?? conn.socket.remoteAddress} failed: ${reason}`,
      );
      throw e;
    }
    this.metrics.handshakeSucceeded(seconds());
    this.log.info(
      {
        event: 'handshake',
        outcome: 'success',
        role,
        peer: result.peer.nodeId,
        suite: result.suite.name,
        backend: this.backend.name,
        latencyMs: seconds() * 1000,
      },
      `handshake with ${result.peer.nodeId} established (${result.suite.name})`,
    );
    return this.establish(conn, result);
  }

  private establish(conn: FramedConnection, result: HandshakeResult): Session {
    const peer = this.peers.get(result.peer.nodeId)!;
    let rehandshake: NodeJS.Timeout | undefined;
    const session = new Session(
      conn,
      result,
      this.protocol,
      { afterFrames: this.config.timers.keyUpdateAfterFrames, afterMs: this.config.timers.keyUpdateAfterMs },
      { heartbeatMs: this.config.timers.heartbeatIntervalMs, deadPeerMs: this.config.timers.deadPeerTimeoutMs },
      {
        application: (s, data) => peer.onApplication(s, data),
        keyUpdated: () => undefined,
        closed: (s, info) => {
          clearTimeout(rehandshake);
          if (info.reason !== 'closed' && info.reason !== 'peer_closed') {
            this.metrics.handshakeFailed(info.reason);
            if (info.reason === 'key_desync') this.metrics.rotationFailed('key_desync');
            if (info.reason === 'record_gap' && !info.remote) this.metrics.recordGap();
            this.log.warn(
              { event: 'session_closed', peer: s.peerId, reason: info.reason, remote: info.remote, detail: info.message },
              `session with ${s.peerId} failed: ${info.reason}`,
            );
          }
          peer.detach(s);
          this.updateSessionGauge();
        },
      },
    );
    if (result.role === 'initiator') {
      // Periodic re-handshake: fresh ephemeral keys, fresh signatures.
      rehandshake = setTimeout(() => session.close('periodic re-handshake'), this.config.timers.rehandshakeAfterMs);
      rehandshake.unref();
    }
    peer.attach(session);
    this.control.learnCertificate(result.peer.encoded);
    // A link cut or a revocation while this handshake ran.
    if (this.cutOff(peer.id)) session.fail(this.cutReason(peer.id));
    this.updateSessionGauge();
    return session;
  }

  private updateSessionGauge(): void {
    this.metrics.setSessions([...this.peers.values()].filter((p) => p.session?.open).length);
  }

  // ---- the control plane ------------------------------------------------------

  private cutOff(peer: string): boolean {
    return this.linksDown.has(peer) || this.revoked.has(peer);
  }

  private cutReason(peer: string): MeshError {
    return this.revoked.has(peer)
      ? new MeshError('revoked', `${peer} was revoked by a committed control-plane event`)
      : new MeshError('policy', `link to ${peer} cut (POST /links)`);
  }

  private sendControl(peer: string, relay: Uint8Array): boolean {
    const s = this.cutOff(peer) ? undefined : this.peers.get(peer)?.session;
    if (!s?.open || relay.length > MAX_CONTROL_BYTES) return false;
    s.sendApplication(encodeAppMessage({ kind: 'control', relay }));
    return true;
  }

  /** A committed revocation takes effect here: the node's sessions close and it is refused with `revoked`. */
  private applyCommit(e: CertifiedEntry): void {
    this.log.info(
      { event: 'control_commit', slot: e.slot, kind: e.event.kind, proposalId: e.event.proposalId, payload: e.event.payload.slice(0, 128) },
      `control slot ${e.slot} committed: ${e.event.kind}`,
    );
    if (e.event.kind !== 'revoke') return;
    const id = e.event.payload;
    if (id === this.id) {
      this.log.warn({ event: 'revoked_self', slot: e.slot }, 'this node was revoked: its peers refuse it');
      return;
    }
    if (!this.config.peers.some((p) => p.id === id)) return;
    this.revoked.add(id);
    // At start (a restored log) the peers do not exist yet: startPeers pauses it.
    this.peers.get(id)?.pause((s) => s.fail(this.cutReason(id)));
  }

  /** POST /links: cut or restore this node's traffic with a peer, both directions, heartbeats included. */
  setLink(peerId: string, up: boolean): { peer: string; up: boolean } {
    const peer = this.peers.get(peerId);
    if (!peer) throw new ConfigError(`unknown peer ${peerId}`);
    if (up) {
      this.linksDown.delete(peerId);
      if (!this.revoked.has(peerId)) peer.resume();
    } else {
      this.linksDown.add(peerId);
      peer.pause((s) => s.fail(this.cutReason(peerId)));
    }
    this.log.info({ event: 'link', peer: peerId, up }, `link to ${peerId} ${up ? 'restored' : 'cut'}`);
    return { peer: peerId, up };
  }

  // ---- the admin API's operations -------------------------------------------

  /** Per-peer liveness from the heartbeats: a small typed view for /status, metrics and the control plane. */
  liveness(now = Date.now()): PeerLiveness[] {
    return [...this.peers.values()].map((p) => {
      const heard = p.lastHeard;
      return {
        id: p.id,
        reachable: !!p.session?.reachable,
        lastHeardAt: heard === undefined ? null : new Date(heard).toISOString(),
        silentForMs: heard === undefined ? null : Math.max(0, now - heard),
      };
    });
  }

  status(): NodeStatus {
    const live = new Map(this.liveness().map((l) => [l.id, l]));
    return {
      id: this.id,
      backend: { name: this.backend.name, version: this.backend.version },
      protocol: this.protocol.name,
      listen: this.listenAddress,
      incarnation: this.inbox.incarnation.toString(),
      fallback: this.fallback.status(),
      peers: [...this.peers.values()].map((p) => ({
        ...live.get(p.id)!,
        address: this.config.peers.find((x) => x.id === p.id)!.address,
        connected: !!p.session?.open,
        unacknowledged: p.unacknowledged,
        session: p.session?.open ? p.session.status() : null,
        linkUp: !this.linksDown.has(p.id),
        revoked: this.revoked.has(p.id),
      })),
      ...this.control.status(),
    };
  }

  /** Resolves when the peer's application acknowledged the message. */
  async send(to: string, payload: string): Promise<void> {
    const peer = this.peers.get(to);
    if (!peer) throw new ConfigError(`unknown peer ${to}`);
    const bytes = new TextEncoder().encode(payload);
    if (bytes.length > MAX_PAYLOAD_BYTES) throw new ConfigError(`payload of ${bytes.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
    try {
      await peer.send(bytes);
    } catch (e) {
      if (e instanceof OutboxFullError) this.metrics.sendRejected('outbox_full');
      throw e;
    }
  }

  received(): readonly Delivered[] {
    return this.inbox.received();
  }

  /**
   * Dials the peer and runs one new initiator handshake now (the SLO load's
   * unit of work). On success the new session replaces the current one, as a
   * periodic re-handshake does; a failure leaves the current session alone.
   */
  async handshakeWith(peerId: string): Promise<HandshakeProbeResult> {
    const p = this.config.peers.find((x) => x.id === peerId);
    if (!p) throw new ConfigError(`unknown peer ${peerId}`);
    const started = performance.now();
    try {
      const session = await this.dial(p.id, p.address);
      return { peer: peerId, ok: true, latencyMs: performance.now() - started, suite: session.status().suite as CipherSuiteName };
    } catch (e) {
      return { peer: peerId, ok: false, latencyMs: performance.now() - started, reason: reasonOf(e), error: (e as Error).message };
    }
  }

  /** Key update on every open session; answers with the epochs after it. */
  async rotate(timeoutMs = 5000): Promise<RotationResult[]> {
    const open = [...this.peers.values()].map((p) => p.session).filter((s): s is Session => !!s?.open);
    return Promise.all(
      open.map(async (s) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            s.requestKeyUpdate(),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new MeshError('timeout', 'no KEY_UPDATE answer')), timeoutMs))),
          ]);
          if (!s.open) throw new MeshError('peer_closed', 'session closed during key update');
          this.metrics.rotationSucceeded();
          return { peer: s.peerId, ok: true, sendEpoch: s.channel.sendEpoch, recvEpoch: s.channel.recvEpoch };
        } catch (e) {
          const reason = reasonOf(e);
          this.metrics.rotationFailed(reason === 'timeout' || reason === 'key_desync' ? reason : 'internal');
          return { peer: s.peerId, ok: false, error: (e as Error).message };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  /** Fallback TTL ran out: refuse new sessions (accepts() is already false), close the rest, drain. */
  private async failClosed(expiry: FallbackExpiry): Promise<void> {
    for (const p of this.peers.values()) p.session?.close('fallback expired');
    await this.fallback.whenAlertsSent();
    await this.stop();
    this.o.onFallbackExpired?.(expiry);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.control.stop();
    for (const p of this.peers.values()) p.stop();
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
    this.fallback.close();
    this.inbox.close();
  }
}
