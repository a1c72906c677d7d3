// Signed gossip (docs/control-plane.md §1). A message is the canonical
// encoding of
//   version u8 | origin | seq u64 | timestamp u64 ms | kind u8 | payload
// signed by the origin's ML-DSA-65 identity key over
//   "pqc-mesh v1 gossip" || those bytes,
// and travels as body | origin certificate | signature. The receiver decides
// in a fixed order: decode, certificate (CA, validity), origin = certificate
// id, membership, signature, and only then timestamp skew and sequence.
// Nothing about the claimed origin is read or written before the signature
// verified, so forged bytes cannot lower an honest origin's standing or
// consume its sequence numbers.
import { MeshError } from '../protocol/errors.ts';
import { Decoder, Encoder, LIMITS, MAX_PAYLOAD_BYTES } from '../protocol/wire.ts';
import type { Clock } from './clock.ts';
import {
  label,
  refuse,
  zeroCounts,
  type Checked,
  type ControlSigner,
  type MemberSet,
  type RefusalReason,
  type SignerDirectory,
} from './members.ts';

export const GOSSIP_LABEL = label('gossip');
const GOSSIP_VERSION = 1;

export interface GossipMessage {
  origin: string;
  /** Per-origin, strictly increasing. A node derives it from its incarnation so restarts move forward. */
  seq: bigint;
  timestamp: number;
  kind: number;
  payload: Uint8Array;
}

export interface SignedGossip extends GossipMessage {
  certificate: Uint8Array;
  signature: Uint8Array;
}

export function encodeGossipBody(m: GossipMessage): Uint8Array {
  return new Encoder().u8(GOSSIP_VERSION).string(m.origin).u64(m.seq).u64(BigInt(m.timestamp)).u8(m.kind).bytes(m.payload).finish();
}

export function encodeSignedGossip(m: SignedGossip): Uint8Array {
  return new Encoder()
    .u8(GOSSIP_VERSION)
    .string(m.origin)
    .u64(m.seq)
    .u64(BigInt(m.timestamp))
    .u8(m.kind)
    .bytes(m.payload)
    .bytes(m.certificate)
    .bytes(m.signature)
    .finish();
}

export function decodeSignedGossip(bytes: Uint8Array): SignedGossip {
  const d = new Decoder(bytes);
  const version = d.u8('gossip.version');
  if (version !== GOSSIP_VERSION) throw new MeshError('bad_frame', `gossip version ${version}`);
  const m: SignedGossip = {
    origin: d.string('gossip.origin', 64),
    seq: d.u64('gossip.seq'),
    timestamp: Number(d.u64('gossip.timestamp')),
    kind: d.u8('gossip.kind'),
    payload: d.bytes('gossip.payload', MAX_PAYLOAD_BYTES),
    certificate: d.bytes('gossip.certificate', LIMITS.certificate),
    signature: d.bytes('gossip.signature', LIMITS.signature),
  };
  d.end('gossip');
  return m;
}

export function signGossip(signer: ControlSigner, m: Omit<GossipMessage, 'origin'>): SignedGossip {
  const full = { ...m, origin: signer.nodeId };
  return { ...full, certificate: signer.certificate, signature: signer.sign(GOSSIP_LABEL, encodeGossipBody(full)) };
}

/** Sequence numbers accepted out of order behind the highest seen: push gossip reorders. */
export const SEQUENCE_WINDOW = 64n;

/** What a receiver remembers per verified origin: highest sequence and a 64-bit bitmap behind it. O(1) per origin. */
export class SequenceWindow {
  highest = 0n;
  private seen = 0n;

  /** `duplicate`, `stale_sequence` or undefined (fresh); does not record. */
  classify(seq: bigint): 'duplicate' | 'stale_sequence' | undefined {
    if (seq > this.highest) return undefined;
    const back = this.highest - seq;
    if (back >= SEQUENCE_WINDOW || seq === 0n) return 'stale_sequence';
    return (this.seen >> back) & 1n ? 'duplicate' : undefined;
  }

  record(seq: bigint): void {
    if (seq > this.highest) {
      const shift = seq - this.highest;
      this.seen = shift >= SEQUENCE_WINDOW ? 1n : ((this.seen << shift) | 1n) & ((1n << SEQUENCE_WINDOW) - 1n);
      this.highest = seq;
    } else this.seen |= 1n << (this.highest - seq);
  }
}

/** An origin's standing at this receiver: changed only by messages whose signature verified. */
export interface Standing {
  accepted: number;
  lastAcceptedAt?: number;
}

export interface GossipReceiverOptions {
  directory: SignerDirectory;
  members: () => MemberSet;
  clock: Clock;
  /** Largest |timestamp - now| accepted, ms. */
  maxSkewMs: number;
}

export type GossipOutcome =
  | { accepted: true; message: SignedGossip }
  | { accepted: false; reason: RefusalReason; detail: string; origin?: string };

export interface GossipCounters {
  accepted: number;
  dropped: Record<RefusalReason, number>;
  /** Unverified or refused bytes, by the neighbour that handed them to us (never by claimed origin). */
  droppedVia: Record<string, number>;
  standing: Record<string, Standing>;
}

export class GossipReceiver {
  protected readonly windows = new Map<string, SequenceWindow>();
  protected readonly standings = new Map<string, Standing>();
  protected readonly dropped = zeroCounts();
  protected readonly droppedVia = new Map<string, number>();
  protected acceptedCount = 0;

  constructor(protected readonly opts: GossipReceiverOptions) {}

  receive(bytes: Uint8Array, via: string): GossipOutcome {
    const m = this.decode(bytes);
    if (!m.ok) return this.drop(m, via);
    const auth = this.authenticate(m.value);
    if (!auth.ok) return this.drop(auth, via, m.value.origin);
    const fresh = this.freshness(m.value);
    if (!fresh.ok) return this.drop(fresh, via, m.value.origin);
    this.admit(m.value);
    return { accepted: true, message: m.value };
  }

  protected decode(bytes: Uint8Array): Checked<SignedGossip> {
    try {
      return { ok: true, value: decodeSignedGossip(bytes) };
    } catch (e) {
      return refuse('malformed', (e as Error).message);
    }
  }

  /** Certificate, membership and signature: the gate in front of every state change. */
  protected authenticate(m: SignedGossip): Checked<SignedGossip> {
    const v = this.opts.directory.verify(this.opts.members(), m.origin, GOSSIP_LABEL, encodeGossipBody(m), m.signature, m.certificate);
    return v.ok ? { ok: true, value: m } : v;
  }

  /** Timestamp skew, then the origin's sequence window. Reads state, writes none. */
  protected freshness(m: SignedGossip): Checked<SignedGossip> {
    const skew = m.timestamp - this.opts.clock.now();
    if (Math.abs(skew) > this.opts.maxSkewMs)
      return refuse('stale_timestamp', `${m.origin} seq ${m.seq}: timestamp ${skew} ms from now exceeds ${this.opts.maxSkewMs} ms`);
    const c = this.windows.get(m.origin)?.classify(m.seq);
    if (c) return refuse(c, `${m.origin} seq ${m.seq} (highest seen ${this.windows.get(m.origin)!.highest})`);
    return { ok: true, value: m };
  }

  protected admit(m: SignedGossip): void {
    let w = this.windows.get(m.origin);
    if (!w) this.windows.set(m.origin, (w = new SequenceWindow()));
    w.record(m.seq);
    const s = this.standing(m.origin);
    s.accepted++;
    s.lastAcceptedAt = this.opts.clock.now();
    this.acceptedCount++;
  }

  protected standing(origin: string): Standing {
    let s = this.standings.get(origin);
    if (!s) this.standings.set(origin, (s = { accepted: 0 }));
    return s;
  }

  protected drop(r: { reason: RefusalReason; detail: string }, via: string, origin?: string): GossipOutcome {
    this.dropped[r.reason]++;
    // Duplicates are normal in push gossip; everything else is charged to the link it came over.
    if (r.reason !== 'duplicate') this.droppedVia.set(via, (this.droppedVia.get(via) ?? 0) + 1);
    return { accepted: false, reason: r.reason, detail: r.detail, origin };
  }

  counters(): GossipCounters {
    return {
      accepted: this.acceptedCount,
      dropped: { ...this.dropped },
      droppedVia: Object.fromEntries(this.droppedVia),
      standing: Object.fromEntries([...this.standings].map(([k, v]) => [k, { ...v }])),
    };
  }
}
