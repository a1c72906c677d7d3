// One established session: a framed connection plus the channel keyed by
// its handshake. It turns RECORD frames into application bytes, answers and
// starts key updates, and rekeys on its own when the frame or time budget of
// the current epoch is spent. Liveness: both sides seal a HEARTBEAT every
// `heartbeatMs`; a session that has heard no authentic record for
// `deadPeerMs` is declared dead (`timeout`), so a path that blackholes bytes
// while TCP stays open still ends in a reconnect. Alerts after the handshake
// are sealed too; a cleartext ALERT is refused by the connection.
import { Channel, type RekeyPolicy } from '../protocol/channel.ts';
import { RemoteAlert, type CloseInfo, type FramedConnection } from './connection.ts';
import { MeshError } from '../protocol/errors.ts';
import type { HandshakeResult } from '../protocol/handshake.ts';
import type { MeshProtocol } from '../protocol/seams.ts';
import { FrameType, decodeRecord, encodeRecord, type Frame } from '../protocol/wire.ts';

export interface LivenessPolicy {
  heartbeatMs: number;
  deadPeerMs: number;
}

export interface SessionEvents {
  application(session: Session, data: Uint8Array): void;
  keyUpdated(session: Session): void;
  closed(session: Session, info: CloseInfo): void;
}

export interface SessionStatus {
  peer: string;
  suite: string;
  role: 'initiator' | 'responder';
  sessionId: string;
  sendEpoch: number;
  recvEpoch: number;
  establishedAt: string;
  lastHeardAt: string;
}

export class Session {
  readonly channel: Channel;
  readonly peerId: string;
  readonly establishedAt = Date.now();
  /** When the last authentic record from the peer arrived (any content, heartbeats included). */
  lastHeard = this.establishedAt;
  private readonly rotations: ((s: Session) => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    readonly conn: FramedConnection,
    readonly handshake: HandshakeResult,
    protocol: MeshProtocol,
    private readonly rekey: RekeyPolicy,
    private readonly liveness: LivenessPolicy,
    private readonly events: SessionEvents,
  ) {
    this.peerId = handshake.peer.nodeId;
    this.channel = new Channel(handshake, () => protocol.newReplayWindow());
    conn.sealAlerts(
      (alert) => encodeRecord(this.channel.seal({ type: 'alert', alert })),
      (alert) => protocol.believesCleartextAlert(alert),
    );
    conn.onClose((info) => {
      clearInterval(this.timer);
      clearInterval(this.heartbeat);
      for (const r of this.rotations.splice(0)) r(this);
      events.closed(this, info);
    });
    conn.setHandler((f) => this.onFrame(f));
    // Time-based rekey must happen even on an idle session.
    this.timer = setInterval(() => this.rekeyIfDue(), Math.min(1000, Math.max(50, rekey.afterMs / 4)));
    this.timer.unref();
    this.heartbeat = setInterval(() => this.beat(), liveness.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Heard from the peer within the dead-peer timeout, on an open session. */
  get reachable(): boolean {
    return this.open && Date.now() - this.lastHeard <= this.liveness.deadPeerMs;
  }

  private beat(): void {
    if (!this.open) return;
    const silent = Date.now() - this.lastHeard;
    if (silent > this.liveness.deadPeerMs) {
      this.fail(
        new MeshError('timeout', `no record from ${this.peerId} for ${silent} ms (dead-peer timeout ${this.liveness.deadPeerMs} ms)`),
      );
      return;
    }
    this.conn.send(FrameType.RECORD, encodeRecord(this.channel.seal({ type: 'heartbeat' })));
  }

  get open(): boolean {
    return this.conn.closed === undefined;
  }

  sendApplication(data: Uint8Array): void {
    if (!this.open) return;
    this.conn.send(FrameType.RECORD, encodeRecord(this.channel.seal({ type: 'application', data })));
    this.rekeyIfDue();
  }

  /** Sends KEY_UPDATE asking the peer to update too; resolves when its KEY_UPDATE arrives. */
  requestKeyUpdate(): Promise<Session> {
    if (!this.open) return Promise.reject(new MeshError('peer_closed', `session with ${this.peerId} is closed`));
    const done = new Promise<Session>((resolve) => this.rotations.push(resolve));
    this.conn.send(FrameType.RECORD, encodeRecord(this.channel.seal({ type: 'key_update', requestUpdate: true })));
    return done;
  }

  private rekeyIfDue(): void {
    if (this.open && this.channel.keyUpdateDue(this.rekey)) {
      this.conn.send(FrameType.RECORD, encodeRecord(this.channel.seal({ type: 'key_update', requestUpdate: false })));
      this.events.keyUpdated(this);
    }
  }

  private onFrame(f: Frame): void {
    if (f.type !== FrameType.RECORD) throw new MeshError('unexpected_message', `frame type ${f.type} after the handshake`);
    const content = this.channel.open(decodeRecord(f.body));
    this.lastHeard = Date.now();
    if (content.type === 'heartbeat') return;
    if (content.type === 'alert') throw new RemoteAlert(content.alert.reason, `peer alert: ${content.alert.message}`);
    if (content.type === 'application') {
      this.events.application(this, content.data);
      return;
    }
    if (content.requestUpdate) {
      this.conn.send(FrameType.RECORD, encodeRecord(this.channel.seal({ type: 'key_update', requestUpdate: false })));
    }
    this.events.keyUpdated(this);
    for (const r of this.rotations.splice(0)) r(this);
  }

  fail(err: unknown): void {
    this.conn.fail(err);
  }

  close(message?: string): void {
    this.conn.close(message);
  }

  status(): SessionStatus {
    return {
      peer: this.peerId,
      suite: this.handshake.suite.name,
      role: this.handshake.role,
      sessionId: Buffer.from(this.channel.sessionId).toString('hex'),
      sendEpoch: this.channel.sendEpoch,
      recvEpoch: this.channel.recvEpoch,
      establishedAt: new Date(this.establishedAt).toISOString(),
      lastHeardAt: new Date(this.lastHeard).toISOString(),
    };
  }
}
