// Simulated members for the control checks and the bench: ControlPlane
// instances wired by an in-memory bus with seeded latency, a manual clock,
// heartbeats over the links that are up, and a recorder that collects the
// same History (chaos/checkers/history.ts) the harness collects from real
// nodes over /log and /status.
import { bytesToHex } from '@noble/hashes/utils.js';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { ManualClock } from '../../src/mesh/control/clock.ts';
import type { EventKind } from '../../src/mesh/control/events.ts';
import { controlSigner, memberSet, type ControlSigner } from '../../src/mesh/control/members.ts';
import { ControlPlane, type Send } from '../../src/mesh/control/plane.ts';
import { referenceControl, type ControlProtocol } from '../../src/mesh/control/seams.ts';
import { createCa, issueNode, trustAnchor, type Identity, type TrustAnchor } from '../../src/mesh/protocol/certificate.ts';
import { emptyHistory, type History, type TimelineEvent } from '../../chaos/checkers/history.ts';

export interface ControlPki {
  backend: CryptoBackend;
  trust: TrustAnchor;
  ca: Identity;
  /** node-1..node-N, then "outsider" (same CA, not a member) and "rogue" (another CA, named node-1). */
  identities: Map<string, Identity>;
  rogue: Identity;
  /** When the certificates were issued: simulations start their clock here so every certificate is valid. */
  issuedAt: number;
}

const pkis = new Map<string, ControlPki>();

/** One PKI per backend and size, made once per process: issuing costs ~70 ms a node. */
export function controlPki(backend: CryptoBackend, size: number): ControlPki {
  const key = `${backend.name}:${size}`;
  let p = pkis.get(key);
  if (p) return p;
  const issuedAt = Date.now();
  const ca = createCa('control-sim', backend, 3650, issuedAt);
  const identities = new Map<string, Identity>();
  for (let i = 1; i <= size; i++) identities.set(`node-${i}`, issueNode(ca, `node-${i}`, backend, 365, issuedAt));
  identities.set('outsider', issueNode(ca, 'outsider', backend, 365, issuedAt));
  const rogue = issueNode(createCa('rogue-ca', backend, 3650, issuedAt), 'node-1', backend, 365, issuedAt);
  pkis.set(key, (p = { backend, trust: trustAnchor(ca.certificate, backend), ca, identities, rogue, issuedAt }));
  return p;
}

export interface ClusterOptions {
  size: number;
  backend: CryptoBackend;
  protocol?: ControlProtocol;
  heartbeatMs?: number;
  seed: number;
  fanout?: number;
  /** Keep every relay sent (for replay attacks); off in the bench. */
  recordWire?: boolean;
  /** One-way latency range, ms. */
  latencyMs?: [number, number];
  maxSkewMs?: number;
}

interface InFlight {
  at: number;
  order: number;
  from: string;
  to: string;
  bytes: Uint8Array;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Cluster {
  readonly clock: ManualClock;
  readonly pki: ControlPki;
  readonly ids: string[];
  readonly nodes = new Map<string, ControlPlane>();
  readonly signers = new Map<string, ControlSigner>();
  readonly history: History;
  /** Relay sends per gossip message id (origin:seq) and per payload type. */
  readonly sendsByMessage = new Map<string, { type: Send['type']; sends: number }>();
  /** Every relay sent, when `recordWire` is on. */
  readonly wire: { at: number; from: string; to: string; type: Send['type']; bytes: Uint8Array }[] = [];
  private readonly cut = new Set<string>();
  private queue: InFlight[] = [];
  private order = 0;
  private readonly random: () => number;
  readonly heartbeatMs: number;
  private nextHeartbeat: number;

  constructor(readonly opts: ClusterOptions) {
    this.pki = controlPki(opts.backend, opts.size);
    this.clock = new ManualClock(this.pki.issuedAt);
    this.ids = Array.from({ length: opts.size }, (_, i) => `node-${i + 1}`);
    this.heartbeatMs = opts.heartbeatMs ?? 200;
    this.random = mulberry32(opts.seed);
    const members = memberSet(0, this.ids);
    for (const id of this.ids) {
      const signer = controlSigner(this.pki.identities.get(id)!, opts.backend);
      this.signers.set(id, signer);
      this.nodes.set(
        id,
        new ControlPlane({
          signer,
          trust: this.pki.trust,
          members,
          clock: this.clock,
          heartbeatMs: this.heartbeatMs,
          fanout: opts.fanout,
          maxSkewMs: opts.maxSkewMs ?? 5_000,
          protocol: opts.protocol ?? referenceControl,
        }),
      );
    }
    this.history = emptyHistory(this.ids);
    this.history.certificates = Object.fromEntries(
      this.ids.map((id) => [id, bytesToHex(this.pki.identities.get(id)!.certificate.encoded)]),
    );
    this.nextHeartbeat = this.clock.now();
  }

  node(id: string): ControlPlane {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no simulated node ${id}`);
    return n;
  }

  private linkKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  linkUp = (a: string, b: string): boolean => !this.cut.has(this.linkKey(a, b));

  note(kind: TimelineEvent['kind'], detail: string): void {
    this.history.timeline.push({ at: this.clock.now(), kind, detail });
  }

  /** Cuts every link between the groups (both directions); links inside a group stay up. */
  partition(groups: string[][]): void {
    for (const [i, g] of groups.entries())
      for (const h of groups.slice(i + 1)) for (const a of g) for (const b of h) this.cut.add(this.linkKey(a, b));
    this.note('partition', groups.map((g) => g.join(',')).join(' | '));
  }

  heal(): void {
    this.cut.clear();
    this.note('heal', 'all links restored');
  }

  deliver(sends: readonly Send[], from: string): void {
    for (const s of sends) {
      const rec = this.sendsByMessage.get(s.message) ?? { type: s.type, sends: 0 };
      rec.sends++;
      this.sendsByMessage.set(s.message, rec);
      if (this.opts.recordWire) this.wire.push({ at: this.clock.now(), from, to: s.to, type: s.type, bytes: s.bytes });
      if (!this.linkUp(from, s.to)) continue;
      const [lo, hi] = this.opts.latencyMs ?? [1, 5];
      this.queue.push({
        at: this.clock.now() + lo + Math.floor(this.random() * (hi - lo + 1)),
        order: this.order++,
        from,
        to: s.to,
        bytes: s.bytes,
      });
    }
  }

  /** Hands raw relay bytes to `to` now, as if they came over the link from `via` (which may be an outsider). */
  inject(to: string, via: string, bytes: Uint8Array): void {
    this.deliver(this.node(to).receive(bytes, via), to);
  }

  propose(id: string, kind: EventKind, payload: string): string {
    const { proposal, sends } = this.node(id).propose(kind, payload);
    this.note('propose', `${id} ${proposal.event.proposalId} ${kind} ${payload}`);
    this.deliver(sends, id);
    return proposal.event.proposalId;
  }

  /** Runs the simulation for `ms`: deliveries in time order, heartbeats and ticks every interval. */
  run(ms: number): void {
    const end = this.clock.now() + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.queue[0];
      const t = Math.min(next?.at ?? Number.POSITIVE_INFINITY, this.nextHeartbeat);
      if (t > end) break;
      this.clock.advance(t - this.clock.now());
      if (next && next.at === t) {
        this.queue.shift();
        this.deliver(this.node(next.to).receive(next.bytes, next.from), next.to);
        continue;
      }
      for (const a of this.ids) for (const b of this.ids) if (a !== b && this.linkUp(a, b)) this.node(b).heard(a, t);
      for (const id of this.ids) this.deliver(this.node(id).tick(), id);
      this.nextHeartbeat += this.heartbeatMs;
      this.snapshot();
    }
    this.clock.advance(end - this.clock.now());
  }

  /** Runs until `done` holds at a heartbeat boundary (checked after each), or `maxMs` passed; returns the time taken. */
  runUntil(done: () => boolean, maxMs: number): number | undefined {
    const start = this.clock.now();
    while (this.clock.now() - start < maxMs) {
      this.run(this.heartbeatMs);
      if (done()) return this.clock.now() - start;
    }
    return undefined;
  }

  /** Records /log?proposals=1 and /status of every node, as the harness does over the admin API. */
  snapshot(): void {
    const at = this.clock.now();
    for (const id of this.ids) {
      const n = this.node(id);
      const view = n.logView();
      this.history.logs.push({ node: id, at, entries: view.entries, proposals: view.proposals });
      const s = n.status();
      this.history.statuses.push({ node: id, at, membership: s.membership, control: { gossip: s.gossip, quorum: s.quorum } });
    }
  }

  /** Gossip relays per broadcast, by payload type: the msgs-per-op figure. */
  messagesPerEvent(): Record<string, { events: number; mean: number; max: number }> {
    const by = new Map<string, number[]>();
    for (const { type, sends } of this.sendsByMessage.values()) by.set(type, [...(by.get(type) ?? []), sends]);
    return Object.fromEntries(
      [...by].map(([t, xs]) => [t, { events: xs.length, mean: xs.reduce((a, b) => a + b, 0) / xs.length, max: Math.max(...xs) }]),
    );
  }
}
