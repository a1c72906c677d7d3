// The protocol-aware attacker: an in-path hop between two handshake
// connections that sees every frame in both directions, parsed, and can drop,
// hold back, duplicate, reorder, replay (from this or an earlier session),
// rewrite any field, inject frames and blackhole a direction. What it does is
// a list of rules; each decision it makes is logged so a failing check shows
// the frames that proved it. Deterministic: its only randomness is the seeded
// Prng it is given.
import { MeshError } from '../../../src/mesh/protocol/errors.ts';
import type { HandshakeConn } from '../../../src/mesh/protocol/handshake.ts';
import { FrameType, decodeAlert, type Frame } from '../../../src/mesh/protocol/wire.ts';
import { prng, type Prng } from './prng.ts';

export type Direction = 'i2r' | 'r2i';

/** One frame as the attacker sees it: where it goes and its place in that direction. */
export interface InFlight {
  direction: Direction;
  /** 0-based count of frames sent in this direction so far. */
  index: number;
  frame: Frame;
}

/** What a rule does with a frame: the frames to forward in its place (none: dropped). */
export type Action = (f: InFlight, a: Attacker) => Frame[];

export interface Rule {
  /** Label for the log, e.g. "strip post-quantum suites". */
  name: string;
  matches(f: InFlight): boolean;
  act: Action;
}

export interface LogEntry {
  direction: Direction;
  index: number;
  type: number;
  bytes: number;
  /** The rule that acted, or `forwarded`. */
  did: string;
  /** Frames forwarded in its place (types), when a rule acted. */
  sent?: number[];
}

const TYPE_NAMES: Record<number, string> = { 1: 'HELLO', 2: 'ACCEPT', 3: 'FINISH', 4: 'RECORD', 5: 'ALERT' };
export const typeName = (t: number): string => TYPE_NAMES[t] ?? `type ${t}`;

interface End {
  inbox: Frame[];
  closed?: MeshError;
  waiting?: { resolve(f: Frame): void; reject(e: unknown): void };
}

/**
 * Receiving an ALERT rejects with the reason it carries, as a node's
 * connection does during the handshake; the peer's reason is then visible to
 * the check on both sides.
 */
function fromAlert(f: Frame): MeshError {
  try {
    const a = decodeAlert(f.body);
    return new MeshError(a.reason, `peer alert: ${a.message}`);
  } catch (e) {
    return e instanceof MeshError ? e : new MeshError('bad_frame', 'undecodable ALERT');
  }
}

export class Attacker {
  readonly rules: Rule[] = [];
  readonly log: LogEntry[] = [];
  /** Every frame seen, per direction, as sent by its honest end (for replays). */
  readonly seen: Record<Direction, Frame[]> = { i2r: [], r2i: [] };
  readonly rng: Prng;
  private readonly counts: Record<Direction, number> = { i2r: 0, r2i: 0 };
  private readonly held: Record<Direction, Frame[]> = { i2r: [], r2i: [] };
  private readonly blackholed = new Set<Direction>();
  private readonly ends: Record<'initiator' | 'responder', End> = { initiator: { inbox: [] }, responder: { inbox: [] } };
  /** Set when the attacker sits on a TCP path (attacker/tcp.ts): frames go to sockets, not to in-memory ends. */
  private sinks: Record<Direction, (f: Frame) => void> | undefined;

  constructor(seed = 0) {
    this.rng = prng(seed);
  }

  /** Adds a rule; the first matching rule acts on a frame. */
  on(rule: Rule): this {
    this.rules.push(rule);
    return this;
  }

  /** Every later frame of this direction vanishes (TCP stays open). */
  blackhole(direction: Direction): this {
    this.blackholed.add(direction);
    return this;
  }

  /** Keeps a frame back; `release` forwards it later (a delay or a reorder). */
  hold(direction: Direction, frame: Frame): void {
    this.held[direction].push(frame);
  }

  release(direction: Direction): Frame[] {
    return this.held[direction].splice(0);
  }

  /** Delivers a frame the attacker made to one end, outside any rule. */
  inject(direction: Direction, frame: Frame): void {
    this.log.push({ direction, index: -1, type: frame.type, bytes: frame.body.length, did: 'injected' });
    this.deliver(direction, frame);
  }

  /** Sends what the rules let through to `sinks` (one per direction) instead of the in-memory ends. */
  attach(sinks: Record<Direction, (f: Frame) => void>): this {
    this.sinks = sinks;
    return this;
  }

  /** A frame an honest end sent, into the rules (what `conns()` does on send; the TCP path calls it per frame read). */
  forward(direction: Direction, frame: Frame): void {
    this.pass(direction, frame);
  }

  /** The two connections the honest ends use: initiator and responder. */
  conns(): { initiator: HandshakeConn; responder: HandshakeConn } {
    const conn = (own: End, direction: Direction): HandshakeConn => ({
      send: (type, body) => this.pass(direction, { type, body: Uint8Array.from(body) }),
      receive: () => this.receive(own),
    });
    return { initiator: conn(this.ends.initiator, 'i2r'), responder: conn(this.ends.responder, 'r2i') };
  }

  /** Takes every frame waiting at one end without blocking (for record streams, which are push-driven). */
  drain(end: 'initiator' | 'responder'): Frame[] {
    return this.ends[end].inbox.splice(0);
  }

  /** Why an end was closed (an ALERT it received, or a cut), if it was. */
  closedWith(end: 'initiator' | 'responder'): MeshError | undefined {
    return this.ends[end].closed;
  }

  /** Closes the path: pending and later receives on both ends fail with peer_closed. */
  cut(why: string): void {
    for (const end of Object.values(this.ends)) this.close(end, new MeshError('peer_closed', why));
  }

  private pass(direction: Direction, frame: Frame): void {
    const f: InFlight = { direction, index: this.counts[direction]++, frame };
    this.seen[direction].push(frame);
    if (this.blackholed.has(direction)) {
      this.log.push({ direction, index: f.index, type: frame.type, bytes: frame.body.length, did: 'blackholed' });
      return;
    }
    const rule = this.rules.find((r) => r.matches(f));
    const out = rule ? rule.act(f, this) : [frame];
    this.log.push({
      direction,
      index: f.index,
      type: frame.type,
      bytes: frame.body.length,
      did: rule ? rule.name : 'forwarded',
      ...(rule ? { sent: out.map((o) => o.type) } : {}),
    });
    for (const o of out) this.deliver(direction, o);
  }

  private deliver(direction: Direction, frame: Frame): void {
    if (this.sinks) {
      this.sinks[direction](frame);
      return;
    }
    const to = direction === 'i2r' ? this.ends.responder : this.ends.initiator;
    if (to.closed) return;
    if (frame.type === FrameType.ALERT) {
      this.close(to, fromAlert(frame));
      return;
    }
    if (!to.waiting) {
      to.inbox.push(frame);
      return;
    }
    const w = to.waiting;
    to.waiting = undefined;
    w.resolve(frame);
  }

  private close(end: End, e: MeshError): void {
    end.closed ??= e;
    const w = end.waiting;
    end.waiting = undefined;
    w?.reject(end.closed);
  }

  private receive(end: End): Promise<Frame> {
    const f = end.inbox.shift();
    if (f) return Promise.resolve(f);
    if (end.closed) return Promise.reject(end.closed);
    return new Promise<Frame>((resolve, reject) => {
      end.waiting = { resolve, reject };
    });
  }

  /** The frames in order, one short line each: the evidence of a check. */
  trace(): string[] {
    return this.log.map(
      (e) =>
        `${e.direction} #${e.index < 0 ? '-' : e.index} ${typeName(e.type)} (${e.bytes} B): ${e.did}${
          e.sent ? ` -> [${e.sent.map(typeName).join(', ') || 'nothing'}]` : ''
        }`,
    );
  }
}

// ---- Rule builders ----------------------------------------------------------

export const frameOf =
  (direction: Direction, type: number, nth = 0) =>
  (f: InFlight): boolean =>
    f.direction === direction && f.frame.type === type && countOfType(f) === nth;

// Frame counts per type are derived from the index: handshake frames are one of each per direction.
function countOfType(f: InFlight): number {
  return f.frame.type === FrameType.RECORD ? f.index : 0;
}

export const rewrite = (name: string, matches: Rule['matches'], edit: (body: Uint8Array, a: Attacker) => Uint8Array): Rule => ({
  name,
  matches,
  act: (f, a) => [{ type: f.frame.type, body: edit(f.frame.body, a) }],
});

export const drop = (name: string, matches: Rule['matches']): Rule => ({ name, matches, act: () => [] });

export const duplicate = (name: string, matches: Rule['matches']): Rule => ({ name, matches, act: (f) => [f.frame, f.frame] });

export const replaceWith = (name: string, matches: Rule['matches'], frames: (f: InFlight, a: Attacker) => Frame[]): Rule => ({
  name,
  matches,
  act: frames,
});
