// The control plane inside a node (docs/control-plane.md §8): a ControlPlane
// on the wall clock, fed with the heartbeats' last-heard times, ticked once
// per heartbeat interval, receiving CONTROL relays from the channels and
// sending what it returns. Every batch of sends is preceded by a write of
// the log and this node's votes (ControlStore), so nothing this node signed
// can be forgotten by a restart.
import type { Logger } from 'pino';
import type { CryptoBackend } from '../../crypto/backend.ts';
import { ConfigError } from '../../errors.ts';
import { systemClock } from '../control/clock.ts';
import { EVENT_KINDS, MAX_EVENT_PAYLOAD, type EventKind } from '../control/events.ts';
import { controlSigner, memberSet } from '../control/members.ts';
import { ControlPlane, type ControlStatus, type LogView, type Send } from '../control/plane.ts';
import type { ControlProtocol } from '../control/seams.ts';
import type { CertifiedEntry } from '../control/votes.ts';
import type { Identity, TrustAnchor } from '../protocol/certificate.ts';
import { ControlStore, restoreControlState } from './control-store.ts';

export interface NodeControlOptions {
  identity: Identity;
  backend: CryptoBackend;
  trust: TrustAnchor;
  /** Every configured peer; the member set is these plus this node, epoch 0. */
  peers: readonly string[];
  heartbeatMs: number;
  incarnation: bigint;
  stateDir: string;
  protocol?: ControlProtocol;
  logger: Logger;
  /** Last authentic record from a peer whose link is up and session open, else undefined. */
  lastHeard(peer: string): number | undefined;
  /** Hands a relay to the peer's session; false when there is none (the relay is dropped: gossip heals). */
  send(peer: string, relay: Uint8Array): boolean;
  onCommit(e: CertifiedEntry): void;
}

/** What /status shows under `control`: the plane's counters plus what the node sent and dropped. */
export interface NodeControlStatus extends Omit<ControlStatus, 'membership'> {
  sent: { relays: number; dropped: number; byType: Record<string, number> };
  persisted: { writes: number; file: string };
}

export class NodeControl {
  readonly plane: ControlPlane;
  private readonly store: ControlStore;
  private timer: NodeJS.Timeout | undefined;
  private readonly sent = { relays: 0, dropped: 0, byType: {} as Record<string, number> };
  private writes = 0;

  constructor(private readonly o: NodeControlOptions) {
    const self = o.identity.certificate.nodeId;
    this.plane = new ControlPlane({
      signer: controlSigner(o.identity, o.backend),
      trust: o.trust,
      members: memberSet(0, [self, ...o.peers]),
      clock: systemClock,
      heartbeatMs: o.heartbeatMs,
      // Gossip sequence numbers must rise across restarts (§1).
      seqBase: o.incarnation << 32n,
      proposalPrefix: `${self}/${o.incarnation}.`,
      protocol: o.protocol,
      onCommit: (e) => o.onCommit(e),
    });
    this.store = new ControlStore(o.stateDir);
    const saved = this.store.load();
    if (saved) {
      const r = restoreControlState(this.plane, saved);
      o.logger.info({ event: 'control_restored', ...r, file: this.store.file }, `control plane restored: ${r.entries} committed entries`);
    }
  }

  /**
   * Ticks twice per heartbeat interval: a cut is then seen at most 2.5
   * intervals after it (2 of silence, half until the next tick), which
   * leaves room for timer lateness inside the 3-interval bound.
   */
  start(): void {
    this.timer = setInterval(() => this.tick(), Math.max(1, Math.floor(this.o.heartbeatMs / 2)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** A peer's certificate from a completed handshake: the directory can then check its votes. */
  learnCertificate(encoded: Uint8Array): void {
    this.plane.learnCertificate(encoded);
  }

  private feedHeartbeats(): void {
    for (const peer of this.o.peers) {
      const at = this.o.lastHeard(peer);
      if (at !== undefined) this.plane.heard(peer, at);
    }
  }

  private tick(): void {
    this.feedHeartbeats();
    this.emit(this.plane.tick());
  }

  /** A CONTROL relay from a peer's channel. */
  receive(peer: string, relay: Uint8Array): void {
    this.emit(this.plane.receive(relay, peer));
  }

  /**
   * POST /propose: the proposal id (`id`, and as docs/node-contract.md reads
   * it, `proposal.event.proposalId`); it commits later, or stays queued in a minority.
   */
  propose(kind: string, payload: string): { id: string; state: string; proposal: { event: { proposalId: string } } } {
    if (!(EVENT_KINDS as readonly string[]).includes(kind))
      throw new ConfigError(`field "kind": must be one of ${EVENT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
    if (Buffer.byteLength(payload) > MAX_EVENT_PAYLOAD) throw new ConfigError(`field "payload": more than ${MAX_EVENT_PAYLOAD} bytes`);
    this.feedHeartbeats();
    const { proposal, sends } = this.plane.propose(kind as EventKind, payload);
    this.emit(sends);
    const proposalId = proposal.event.proposalId;
    return { id: proposalId, state: proposal.state, proposal: { event: { proposalId } } };
  }

  logView(withProposals: boolean): LogView | Pick<LogView, 'entries'> {
    const v = this.plane.logView();
    return withProposals ? v : { entries: v.entries };
  }

  status(): { membership: ControlStatus['membership']; control: NodeControlStatus } {
    const { membership, ...rest } = this.plane.status();
    return {
      membership,
      control: {
        ...rest,
        sent: { ...this.sent, byType: { ...this.sent.byType } },
        persisted: { writes: this.writes, file: this.store.file },
      },
    };
  }

  /** Persist first (§8), then send. */
  private emit(sends: Send[]): void {
    if (this.store.save(this.plane)) this.writes++;
    for (const s of sends) {
      if (this.o.send(s.to, s.bytes)) {
        this.sent.relays++;
        this.sent.byType[s.type] = (this.sent.byType[s.type] ?? 0) + 1;
      } else this.sent.dropped++;
    }
  }
}
