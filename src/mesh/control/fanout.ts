// Push forwarding (docs/control-plane.md §2). Each relayed message carries
// the members still to be covered (`pending`, an unsigned routing header
// outside the origin's signature). A node sends to up to `fanout` reachable
// pending members and hands each a disjoint share of the other reachable
// ones; members it cannot reach go to every child. On a connected mesh every
// member receives a message exactly once (N-1 sends per event). With an
// unbounded fanout (the control plane's default) a member leaves `pending`
// only when someone sends to it, so every member a path leads to is
// reached; a bounded fanout trades that for fewer sends per node (a share
// behind a child that cannot reach it is lost). A lying relay can only
// withhold, which the signed digests of merge.ts repair.
import { MeshError } from '../protocol/errors.ts';
import { Decoder, Encoder, MAX_FRAME_BYTES } from '../protocol/wire.ts';

export interface ForwardInput {
  self: string;
  /** Peers this node currently reaches (membership.ts). */
  reachable: ReadonlySet<string>;
  /** Members still to cover, in a stable order. */
  pending: readonly string[];
  fanout: number;
}

export interface ForwardStep {
  to: string;
  pending: string[];
}

/** Who to send to, and what each of them is then responsible for. Pure. */
export function forwardPlan(input: ForwardInput): ForwardStep[] {
  if (!Number.isInteger(input.fanout) || input.fanout < 1) throw new RangeError(`fanout must be a positive integer, got ${input.fanout}`);
  const pending = [...new Set(input.pending)].filter((p) => p !== input.self);
  const direct = pending.filter((p) => input.reachable.has(p));
  const unreachable = pending.filter((p) => !input.reachable.has(p));
  const children = direct.slice(0, input.fanout);
  if (children.length === 0) return [];
  const shares: string[][] = children.map(() => []);
  for (const [i, p] of direct.slice(children.length).entries()) shares[i % children.length].push(p);
  return children.map((to, i) => ({ to, pending: [...shares[i], ...unreachable] }));
}

/** The origin's first step: every other member is pending. */
export function originPlan(self: string, members: readonly string[], reachable: ReadonlySet<string>, fanout: number): ForwardStep[] {
  return forwardPlan({ self, reachable, pending: members, fanout });
}

/** A relayed gossip message: `u8 count | pending ids | signed gossip bytes`. Message kind 3 inside channel records. */
export const CONTROL_MESSAGE_KIND = 3;

export interface Relay {
  pending: string[];
  gossip: Uint8Array;
}

export function encodeRelay(r: Relay): Uint8Array {
  if (r.pending.length > 255) throw new MeshError('internal', `relay lists ${r.pending.length} pending members (255 at most)`);
  const e = new Encoder().u8(r.pending.length);
  for (const p of r.pending) e.string(p);
  return e.bytes(r.gossip).finish();
}

export function decodeRelay(bytes: Uint8Array): Relay {
  const d = new Decoder(bytes);
  const n = d.u8('relay.pending');
  const pending: string[] = [];
  for (let i = 0; i < n; i++) pending.push(d.string('relay.pending.id', 64));
  const gossip = d.bytes('relay.gossip', MAX_FRAME_BYTES);
  d.end('relay');
  return { pending, gossip };
}
