// Nemeses: each a pure function of (nodes, seed, duration) giving a schedule
// of timed actions that ends in a full heal, so every run replays from its
// seed. The faults are what Toxiproxy can do to a link (docs/toxiproxy.md)
// plus killing and restarting a node.
import { partition, PARTITION_SPECS, type Link, type NodeId, type Partition, type PartitionSpec } from './partition.ts';
import { seededRandom, type Random } from './random.ts';

export type NemesisAction =
  | { op: 'partition'; partition: Partition }
  | { op: 'heal' }
  | { op: 'latency'; links: Link[]; latencyMs: number; jitterMs: number }
  | { op: 'bandwidth'; links: Link[]; rateKBps: number }
  | { op: 'reset-peer'; links: Link[] }
  | { op: 'slicer'; links: Link[]; averageSize: number; sizeVariation: number; delayUs: number }
  | { op: 'limit-data'; links: Link[]; bytes: number }
  | { op: 'clear-toxics' }
  | { op: 'kill'; node: NodeId }
  | { op: 'restart'; node: NodeId };

export interface ScheduledAction {
  /** Milliseconds from the start of the run. */
  atMs: number;
  action: NemesisAction;
}

export interface Schedule {
  nemesis: string;
  seed: number;
  durationMs: number;
  actions: ScheduledAction[];
}

export interface NemesisOptions {
  nodes: readonly NodeId[];
  seed: number;
  /** The whole run; faults start after a fifth of it and are healed by three fifths, leaving time to converge. */
  durationMs: number;
}

type Plan = (o: NemesisOptions, rng: Random) => ScheduledAction[];

const at = (o: NemesisOptions, fraction: number) => Math.round(o.durationMs * fraction);
const FAULT_START = 0.2;
const HEAL = 0.6;

/** Every directed link of a full mesh. */
export function allLinks(nodes: readonly NodeId[]): Link[] {
  return nodes.flatMap((from) => nodes.filter((to) => to !== from).map((to) => ({ from, to })));
}

/** Both directions of the links touching a random third of the nodes (at least one). */
function someLinks(o: NemesisOptions, rng: Random): Link[] {
  const hit = new Set(rng.shuffle(o.nodes).slice(0, Math.max(1, Math.floor(o.nodes.length / 3))));
  return allLinks(o.nodes).filter((l) => hit.has(l.from) || hit.has(l.to));
}

const onePartition =
  (spec: PartitionSpec): Plan =>
  (o, rng) => [
    { atMs: at(o, FAULT_START), action: { op: 'partition', partition: partition(spec, o.nodes, rng) } },
    { atMs: at(o, HEAL), action: { op: 'heal' } },
  ];

/** Link faults: apply at the start, clear at the heal. */
const linkFault =
  (make: (links: Link[], rng: Random) => NemesisAction): Plan =>
  (o, rng) => [
    { atMs: at(o, FAULT_START), action: make(someLinks(o, rng), rng) },
    { atMs: at(o, HEAL), action: { op: 'clear-toxics' } },
  ];

const PLANS: Record<string, Plan> = {
  ...Object.fromEntries(PARTITION_SPECS.map((s) => [s, onePartition(s)])),
  // Partitions that come and go: four episodes of halves or one, each followed by a heal.
  flapping: (o, rng) => {
    const out: ScheduledAction[] = [];
    const step = (HEAL - FAULT_START) / 8;
    for (let k = 0; k < 4; k++) {
      const spec = rng.pick(['halves', 'one'] as const);
      out.push({ atMs: at(o, FAULT_START + 2 * k * step), action: { op: 'partition', partition: partition(spec, o.nodes, rng) } });
      out.push({ atMs: at(o, FAULT_START + (2 * k + 1) * step), action: { op: 'heal' } });
    }
    return out;
  },
  'latency-storm': linkFault((links, rng) => ({ op: 'latency', links, latencyMs: 50 + rng.int(150), jitterMs: 10 + rng.int(40) })),
  'bandwidth-squeeze': linkFault((links, rng) => ({ op: 'bandwidth', links, rateKBps: 8 + rng.int(24) })),
  'reset-storm': linkFault((links) => ({ op: 'reset-peer', links })),
  slicer: linkFault((links, rng) => ({
    op: 'slicer',
    links,
    averageSize: 16 + rng.int(48),
    sizeVariation: 8,
    delayUs: 500 + rng.int(1500),
  })),
  'limit-data': linkFault((links, rng) => ({ op: 'limit-data', links, bytes: 2048 + rng.int(8192) })),
  // SIGKILL one node, restart it from the same config.
  'crash-restart': (o, rng) => {
    const node = rng.pick(o.nodes);
    return [
      { atMs: at(o, FAULT_START), action: { op: 'kill', node } },
      { atMs: at(o, (FAULT_START + HEAL) / 2), action: { op: 'restart', node } },
    ];
  },
};

export const NEMESES: readonly string[] = Object.keys(PLANS);

export function nemesisSchedule(nemesis: string, o: NemesisOptions): Schedule {
  const plan = PLANS[nemesis];
  if (!plan) throw new Error(`unknown nemesis "${nemesis}"; known: ${NEMESES.join(', ')}`);
  if (new Set(o.nodes).size !== o.nodes.length) throw new Error(`node ids must be distinct: ${o.nodes.join(', ')}`);
  const actions = plan(o, seededRandom(o.seed));
  // Whatever the nemesis did, the run ends healed: links restored, toxics gone.
  actions.push({ atMs: at(o, HEAL), action: { op: 'heal' } }, { atMs: at(o, HEAL), action: { op: 'clear-toxics' } });
  const seen = new Set<string>();
  const unique = actions.filter((a) => {
    const k = `${a.atMs}:${JSON.stringify(a.action)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((a, b) => a.atMs - b.atMs);
  return { nemesis, seed: o.seed, durationMs: o.durationMs, actions: unique };
}
