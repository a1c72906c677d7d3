// One node's control plane, without sockets: relay bytes in, relay bytes out.
// The node (or a simulation) feeds it heartbeats (`heard`), calls `tick()`
// once per heartbeat interval, passes every control relay it receives to
// `receive`, and sends what they return. Gossip goes out by push fan-out
// (fanout.ts); merge messages go straight to one peer.
import { bytesToHex } from '@noble/hashes/utils.js';
import type { TrustAnchor } from '../protocol/certificate.ts';
import type { Clock } from './clock.ts';
import { eventHashHex, type EventKind } from './events.ts';
import { decodeRelay, encodeRelay, forwardPlan, originPlan } from './fanout.ts';
import { encodeSignedGossip, signGossip, type GossipCounters, type GossipReceiver } from './gossip.ts';
import { planMerge, signDigest, verifyDigest } from './merge.ts';
import { Membership, type MembershipStatus } from './membership.ts';
import { SignerDirectory, type ControlSigner, type MemberSet } from './members.ts';
import { decodePayload, encodePayload, isDirect, PAYLOAD_KINDS, type ControlPayload } from './payloads.ts';
import type { Proposal, QuorumCounters, QuorumNode } from './quorum.ts';
import { referenceControl, type ControlProtocol } from './seams.ts';
import type { CertifiedEntry } from './votes.ts';

export interface ControlPlaneOptions {
  signer: ControlSigner;
  trust: TrustAnchor;
  members: MemberSet;
  clock: Clock;
  heartbeatMs: number;
  /** Gossip timestamps further than this from our clock are stale (default 30 s). */
  maxSkewMs?: number;
  /** Peers one node sends a message to (default: every reachable member; fanout.ts). */
  fanout?: number;
  /** First gossip sequence number minus one: incarnation << 32, so a restarted node's numbers still rise. */
  seqBase?: bigint;
  /** Broadcast a digest every this many ticks (anti-entropy), besides on every reachability change (default 5). */
  digestEveryTicks?: number;
  /** Re-send a proposal still voting after this long (default 4 heartbeats). */
  retryAfterMs?: number;
  protocol?: ControlProtocol;
  /** Prefix of proposal ids ("node-1/7/" with the incarnation), so ids never repeat across restarts. */
  proposalPrefix?: string;
  /** A committed entry; the caller applies what the node must (close a revoked peer's sessions). */
  onCommit?: (e: CertifiedEntry) => void;
}

export interface Send {
  to: string;
  bytes: Uint8Array;
  type: ControlPayload['type'];
  /** Identifies the gossip message (origin:seq) so a harness can count sends per event. */
  message: string;
}

export interface ControlStatus {
  membership: MembershipStatus;
  gossip: GossipCounters;
  quorum: Omit<QuorumCounters, 'conflicts'> & { conflicts: QuorumCounters['conflicts'] };
  merge: { divergences: number; requests: number; digestsRefused: number };
  malformed: number;
}

/** Entries per merge response: a certificate of 5 signers is ~17 KB, a channel record holds 64 KiB. */
const ENTRIES_PER_RESPONSE = 3;

export class ControlPlane {
  readonly membership: Membership;
  readonly directory: SignerDirectory;
  readonly receiver: GossipReceiver;
  readonly quorum: QuorumNode;
  private seq: bigint;
  private ticks = 0;
  private lastReachable = '';
  private readonly merge = { divergences: 0, requests: 0, digestsRefused: 0 };
  private malformed = 0;

  constructor(private readonly opts: ControlPlaneOptions) {
    const protocol = opts.protocol ?? referenceControl;
    this.seq = opts.seqBase ?? 0n;
    this.directory = new SignerDirectory(opts.trust, opts.clock);
    this.directory.certificate(opts.signer.certificate);
    this.membership = new Membership({ self: opts.signer.nodeId, members: opts.members, heartbeatMs: opts.heartbeatMs, clock: opts.clock });
    this.receiver = protocol.gossipReceiver({
      directory: this.directory,
      members: () => this.membership.memberSet(),
      clock: opts.clock,
      maxSkewMs: opts.maxSkewMs ?? 30_000,
    });
    this.quorum = protocol.quorumNode({
      signer: opts.signer,
      directory: this.directory,
      clock: opts.clock,
      membership: () => this.membership.status(),
      onCommit: (e) => this.applyCommit(e),
      proposalPrefix: opts.proposalPrefix,
    });
  }

  get self(): string {
    return this.opts.signer.nodeId;
  }

  heard(peer: string, at?: number): void {
    this.membership.heard(peer, at);
  }

  /** A peer certificate learnt elsewhere (the handshake); verified against the CA before it is kept. */
  learnCertificate(encoded: Uint8Array): boolean {
    return this.directory.certificate(encoded).ok;
  }

  tick(): Send[] {
    const change = this.membership.tick();
    const out: ControlPayload[] = [];
    const reachable = this.membership.status().reachable.join(',');
    const grew = reachable !== this.lastReachable;
    this.lastReachable = reachable;
    if (change) out.push(...this.quorum.onPartitionChange());
    if (change || grew || ++this.ticks % (this.opts.digestEveryTicks ?? 5) === 0) out.push(this.digest());
    out.push(...this.quorum.retry(this.opts.retryAfterMs ?? 4 * this.opts.heartbeatMs));
    return this.emit(out);
  }

  propose(kind: EventKind, payload: string): { proposal: Proposal; sends: Send[] } {
    const { proposal, out } = this.quorum.propose(kind, payload);
    return { proposal, sends: this.emit(out) };
  }

  receive(bytes: Uint8Array, via: string): Send[] {
    let relay: ReturnType<typeof decodeRelay>;
    try {
      relay = decodeRelay(bytes);
    } catch {
      this.malformed++;
      return [];
    }
    const outcome = this.receiver.receive(relay.gossip, via);
    if (!outcome.accepted || outcome.message.origin === this.self) return [];
    const m = outcome.message;
    let payload: ControlPayload;
    try {
      payload = decodePayload(m.kind, m.payload);
    } catch {
      this.malformed++;
      return [];
    }
    const id = `${m.origin}:${m.seq}`;
    const forward = isDirect(payload)
      ? []
      : forwardPlan({ self: this.self, reachable: this.reachableSet(), pending: this.members(relay.pending), fanout: this.fanout() }).map(
          (s) => ({
            to: s.to,
            bytes: encodeRelay({ pending: s.pending, gossip: relay.gossip }),
            type: payload.type,
            message: id,
          }),
        );
    if (isDirect(payload) && payload.to !== this.self) return [];
    return [...forward, ...this.emit(this.dispatch(payload, m.origin))];
  }

  private dispatch(p: ControlPayload, origin: string): ControlPayload[] {
    switch (p.type) {
      case 'proposal':
        return this.quorum.onProposal(p.slot, p.event);
      case 'vote':
        return this.quorum.onVote(p.vote);
      case 'commit':
        return this.quorum.adopt(p.entry).out;
      case 'digest': {
        const d = verifyDigest(this.directory, this.membership.memberSet(), p.digest);
        if (!d.ok || p.digest.node !== origin) {
          this.merge.digestsRefused++;
          return [];
        }
        const plan = planMerge(this.quorum.log, p.digest);
        if (plan.action === 'diverged') this.merge.divergences++;
        if (plan.action !== 'request') return [];
        this.merge.requests++;
        return [{ type: 'merge-request', to: origin, fromSlot: plan.fromSlot }];
      }
      case 'merge-request': {
        const entries = this.quorum.log.from(p.fromSlot, ENTRIES_PER_RESPONSE * 8);
        const out: ControlPayload[] = [];
        for (let i = 0; i < entries.length; i += ENTRIES_PER_RESPONSE)
          out.push({ type: 'merge-response', to: origin, entries: entries.slice(i, i + ENTRIES_PER_RESPONSE) });
        return out;
      }
      case 'merge-response':
        return p.entries.flatMap((e) => this.quorum.adopt(e).out);
    }
  }

  private digest(): ControlPayload {
    return { type: 'digest', digest: signDigest(this.opts.signer, this.quorum.log, this.membership.memberSet().epoch) };
  }

  private applyCommit(e: CertifiedEntry): void {
    if (e.event.kind === 'revoke') {
      const m = this.membership.memberSet();
      const rest = m.members.filter((id) => id !== e.event.payload);
      if (rest.length !== m.members.length && rest.length > 0) this.membership.setMembers({ epoch: m.epoch + 1, members: rest });
    }
    this.opts.onCommit?.(e);
  }

  /** Unbounded by default: see fanout.ts for why a bounded fanout can lose members behind a partial cut. */
  private fanout(): number {
    return this.opts.fanout ?? Math.max(1, this.membership.memberSet().members.length);
  }

  /** The routing header is unsigned: only member ids in it are worth carrying. */
  private members(ids: readonly string[]): string[] {
    const m = this.membership.memberSet().members;
    return ids.filter((id) => m.includes(id));
  }

  private reachableSet(): Set<string> {
    return new Set(this.membership.status().reachable);
  }

  private emit(payloads: ControlPayload[]): Send[] {
    const sends: Send[] = [];
    for (const p of payloads) {
      const g = signGossip(this.opts.signer, {
        seq: ++this.seq,
        timestamp: this.opts.clock.now(),
        kind: PAYLOAD_KINDS[p.type],
        payload: encodePayload(p),
      });
      const gossip = encodeSignedGossip(g);
      const message = `${this.self}:${g.seq}`;
      if (isDirect(p)) sends.push({ to: p.to, bytes: encodeRelay({ pending: [], gossip }), type: p.type, message });
      else
        for (const s of originPlan(this.self, this.membership.memberSet().members, this.reachableSet(), this.fanout()))
          sends.push({ to: s.to, bytes: encodeRelay({ pending: s.pending, gossip }), type: p.type, message });
    }
    return sends;
  }

  status(): ControlStatus {
    return {
      membership: this.membership.status(),
      gossip: this.receiver.counters(),
      quorum: this.quorum.counters(),
      merge: { ...this.merge },
      malformed: this.malformed,
    };
  }

  /** `/log`: committed entries in slot order (hex hashes and signatures), `/log?proposals=1` adds this node's proposals. */
  logView(): LogView {
    return {
      entries: this.quorum.log.all().map((e) => entryView(e, this.quorum.committedAt.get(e.slot))),
      proposals: this.quorum.proposalList().map((p) => ({
        proposalId: p.event.proposalId,
        kind: p.event.kind,
        payload: p.event.payload,
        state: p.state,
        slot: p.slot,
        since: p.since,
      })),
    };
  }
}

export interface EntryView {
  slot: number;
  kind: EventKind;
  proposer: string;
  proposalId: string;
  payload: string;
  /** Hash of the event fields as this node holds them; the certificate names the hash it certifies. */
  eventHash: string;
  certificate: { slot: number; round: number; epoch: number; eventHash: string; signatures: { voter: string; signature: string }[] };
  committedAt?: number;
}

export interface LogView {
  entries: EntryView[];
  proposals: { proposalId: string; kind: EventKind; payload: string; state: Proposal['state']; slot?: number; since: number }[];
}

export function entryView(e: CertifiedEntry, committedAt?: number): EntryView {
  const c = e.certificate;
  return {
    slot: e.slot,
    kind: e.event.kind,
    proposer: e.event.proposer,
    proposalId: e.event.proposalId,
    payload: e.event.payload,
    eventHash: eventHashHex(e.event),
    certificate: {
      slot: c.slot,
      round: c.round,
      epoch: c.epoch,
      eventHash: bytesToHex(c.eventHash),
      signatures: c.signatures.map((s) => ({ voter: s.voter, signature: bytesToHex(s.signature) })),
    },
    committedAt,
  };
}
