// Partitions as Jepsen names them, as the directed links they cut. A link
// `a->b` carries what a sends to b; cutting both directions of every pair
// across two components is a clean partition, cutting one is `one-way`.
import type { Random } from './random.ts';

export type NodeId = string;

/** A directed link: traffic from `from` to `to`. */
export interface Link {
  from: NodeId;
  to: NodeId;
}

export interface Partition {
  /** The spec's name, e.g. `halves`. */
  spec: PartitionSpec;
  /** Who can still talk to whom, for the timeline: the components (a node may sit in two, as the bridge does). */
  components: NodeId[][];
  /** The directed links cut. */
  cut: Link[];
}

export const PARTITION_SPECS = ['halves', 'one', 'majority', 'majorities-ring', 'minority-third', 'bridge', 'one-way'] as const;
export type PartitionSpec = (typeof PARTITION_SPECS)[number];

const key = (l: Link) => `${l.from}->${l.to}`;

/** Every directed link between nodes that share no component. */
function cutBetween(nodes: readonly NodeId[], components: readonly NodeId[][]): Link[] {
  const together = (a: NodeId, b: NodeId) => components.some((c) => c.includes(a) && c.includes(b));
  const cut: Link[] = [];
  for (const from of nodes) for (const to of nodes) if (from !== to && !together(from, to)) cut.push({ from, to });
  return cut;
}

const split = (xs: readonly NodeId[], n: number): NodeId[][] => [xs.slice(0, n), xs.slice(n)];

/** Each node sees a majority (itself and its ring neighbours), no two the same one (Jepsen's majorities-ring). */
function majoritiesRing(shuffled: readonly NodeId[]): Partition {
  const n = shuffled.length;
  const m = Math.floor(n / 2) + 1;
  const reach = new Map<NodeId, Set<NodeId>>();
  shuffled.forEach((node, i) => {
    const seen = new Set<NodeId>();
    // The m nodes of the ring window centred on i.
    for (let d = -Math.floor((m - 1) / 2); seen.size < m; d++) seen.add(shuffled[(i + d + n) % n]);
    reach.set(node, seen);
  });
  // A link survives only where both ends see each other, so the cut stays symmetric.
  const cut: Link[] = [];
  for (const from of shuffled)
    for (const to of shuffled) if (from !== to && !(reach.get(from)!.has(to) && reach.get(to)!.has(from))) cut.push({ from, to });
  return { spec: 'majorities-ring', components: shuffled.map((x) => [...reach.get(x)!]), cut };
}

export function partition(spec: PartitionSpec, nodes: readonly NodeId[], rng: Random): Partition {
  if (nodes.length < 2) throw new Error(`a ${spec} partition needs at least 2 nodes, got ${nodes.length}`);
  const shuffled = rng.shuffle(nodes);
  const n = shuffled.length;
  let components: NodeId[][];
  switch (spec) {
    case 'halves':
      components = split(shuffled, Math.floor(n / 2));
      break;
    case 'one':
      components = split(shuffled, 1);
      break;
    case 'majority':
      // A random strict majority on one side, everyone else on the other.
      components = split(shuffled, Math.floor(n / 2) + 1);
      break;
    case 'minority-third':
      components = split(shuffled, Math.max(1, Math.floor(n / 3)));
      break;
    case 'bridge': {
      // Two halves and one node in both (Jepsen's bridge): needs 3 nodes.
      if (n < 3) throw new Error(`a bridge partition needs at least 3 nodes, got ${n}`);
      const bridge = shuffled[0];
      const rest = shuffled.slice(1);
      const [a, b] = split(rest, Math.floor(rest.length / 2));
      components = [
        [bridge, ...a],
        [bridge, ...b],
      ];
      break;
    }
    case 'majorities-ring':
      return majoritiesRing(shuffled);
    case 'one-way': {
      // One direction of one pair: from cannot reach to, the reverse still flows.
      const [from, to] = shuffled;
      return { spec, components: [shuffled], cut: [{ from, to }] };
    }
  }
  return { spec, components, cut: cutBetween(shuffled, components) };
}

/** Which nodes each node can still send to, for the checkers and the timeline. */
export function reachability(nodes: readonly NodeId[], cut: readonly Link[]): Map<NodeId, NodeId[]> {
  const blocked = new Set(cut.map(key));
  return new Map(nodes.map((a) => [a, nodes.filter((b) => b !== a && !blocked.has(key({ from: a, to: b })))]));
}
