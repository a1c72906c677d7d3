// One configured peer: the current session (if any), the retry queue of
// messages not yet acknowledged, and, on the side that dials, the reconnect
// loop. Sessions come and go (key desync, restarts, periodic re-handshake);
// the queue outlives them, and every new session starts by retransmitting
// what is still unacknowledged, in order. The receiver's Inbox drops what it
// already delivered, which turns at-least-once transmission into
// exactly-once delivery.
import type { Logger } from 'pino';
import { MeshError } from '../protocol/errors.ts';
import type { Inbox } from './inbox.ts';
import { decodeAppMessage, encodeAppMessage, type MessageId } from '../protocol/messages.ts';
import type { Session } from './session.ts';

interface Pending {
  id: MessageId;
  payload: Uint8Array;
  resolve(): void;
  reject(e: Error): void;
}

/** The outbox to this peer is at its limit: the message was not queued (admin API: 503). */
export class OutboxFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxFullError';
  }
}

export interface OutboxLimits {
  messages: number;
  bytes: number;
}

export interface ReconnectPolicy {
  minMs: number;
  maxMs: number;
}

export interface PeerOptions {
  id: string;
  address: string;
  /** Exactly one side of each pair dials (the smaller node id), so two nodes never race two sessions. */
  dials: boolean;
  incarnation: bigint;
  inbox: Inbox;
  reconnect: ReconnectPolicy;
  outbox: OutboxLimits;
  /** Connects and runs the initiator handshake; rejects with a MeshError. */
  dial(): Promise<Session>;
  /** A CONTROL relay (control plane) from this peer; neither queued nor acknowledged. */
  onControl?(relay: Uint8Array): void;
  logger: Logger;
}

export class Peer {
  readonly id: string;
  session: Session | undefined;
  /** When the last authentic record of an earlier session arrived (the current session keeps its own). */
  private lastHeardBefore: number | undefined;
  private readonly outbox: Pending[] = [];
  private outboxBytes = 0;
  private nextSeq = 1n;
  private backoffMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private dialing = false;
  private stopped = false;
  /** POST /links {up: false} or a revocation: no session with this peer until resumed. */
  private paused = false;

  constructor(private readonly o: PeerOptions) {
    this.id = o.id;
    this.backoffMs = o.reconnect.minMs;
  }

  start(): void {
    if (this.o.dials) this.connectSoon(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.session?.close('node stopping');
    for (const p of this.outbox.splice(0)) p.reject(new MeshError('peer_closed', 'node stopping'));
    this.outboxBytes = 0;
  }

  /** Cuts this peer off: closes its session (with `reason`) and stops dialing it. Queued messages stay queued. */
  pause(close: (s: Session) => void): void {
    this.paused = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.session) close(this.session);
  }

  /** Undoes pause(): the dialing side dials at once, with the backoff reset. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.backoffMs = this.o.reconnect.minMs;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.o.dials && !this.session?.open) this.connectSoon(0);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Queues a message; resolves when the peer's application has acknowledged it.
   * A full outbox refuses it at once, before it gets an id, so ids stay consecutive.
   */
  send(payload: Uint8Array): Promise<void> {
    const { messages, bytes } = this.o.outbox;
    if (this.outbox.length >= messages || this.outboxBytes + payload.length > bytes) {
      return Promise.reject(
        new OutboxFullError(
          `outbox to ${this.id} is full (${this.outbox.length} messages, ${this.outboxBytes} bytes; limits ${messages} messages, ${bytes} bytes)`,
        ),
      );
    }
    this.outboxBytes += payload.length;
    return new Promise((resolve, reject) => {
      const p: Pending = { id: { incarnation: this.o.incarnation, seq: this.nextSeq++ }, payload, resolve, reject };
      this.outbox.push(p);
      if (this.session?.open) this.transmit(this.session, p);
    });
  }

  get unacknowledged(): number {
    return this.outbox.length;
  }

  /** A new session replaces the old one and carries every unacknowledged message again. */
  attach(session: Session): void {
    const old = this.session;
    this.session = session;
    if (old && old !== session) old.close('superseded by a new session');
    this.backoffMs = this.o.reconnect.minMs;
    for (const p of this.outbox) this.transmit(session, p);
  }

  /** Last authentic record from this peer on any session, in ms since the epoch. */
  get lastHeard(): number | undefined {
    return this.session?.lastHeard ?? this.lastHeardBefore;
  }

  detach(session: Session): void {
    this.lastHeardBefore = Math.max(this.lastHeardBefore ?? 0, session.lastHeard);
    if (this.session !== session) return;
    this.session = undefined;
    if (this.o.dials) this.connectSoon(this.o.reconnect.minMs);
  }

  private transmit(session: Session, p: Pending): void {
    session.sendApplication(encodeAppMessage({ kind: 'data', id: p.id, payload: p.payload }));
  }

  /** Application bytes from the channel: deliver-and-ack DATA, settle ACKs. */
  onApplication(session: Session, bytes: Uint8Array): void {
    const m = decodeAppMessage(bytes);
    if (m.kind === 'control') {
      this.o.onControl?.(m.relay);
      return;
    }
    if (m.kind === 'data') {
      // Never acknowledge an id we skipped: a gap closes the session, and the retransmission fills it.
      if (this.o.inbox.deliver(this.id, m.id, m.payload) === 'gap')
        throw new MeshError('record_gap', `message ${m.id.incarnation}/${m.id.seq} from ${this.id} skips an undelivered one`);
      session.sendApplication(encodeAppMessage({ kind: 'ack', id: m.id }));
      return;
    }
    const i = this.outbox.findIndex((p) => p.id.incarnation === m.id.incarnation && p.id.seq === m.id.seq);
    if (i < 0) return; // an ACK for a retransmission we already settled
    const [p] = this.outbox.splice(i, 1);
    this.outboxBytes -= p.payload.length;
    p.resolve();
  }

  private connectSoon(delayMs: number): void {
    if (this.stopped || this.paused || this.dialing || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delayMs);
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.paused || this.dialing || this.session?.open) return;
    this.dialing = true;
    try {
      const session = await this.o.dial();
      if (this.stopped) session.close('node stopping');
      // attach happens in the node, which owns the session registry
    } catch (e) {
      this.o.logger.debug({ peer: this.id, err: (e as Error).message, retryInMs: this.backoffMs }, 'dial failed');
      this.dialing = false;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.o.reconnect.maxMs, this.backoffMs * 2);
      this.connectSoon(delay);
      return;
    }
    this.dialing = false;
  }
}
