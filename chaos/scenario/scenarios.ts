// The scenarios `pqc-harness chaos` and certify run: each a nemesis from
// chaos/nemesis/schedule.ts with its timing and bounds. split-brain is the
// halves partition on 5 nodes (2|3) that runs in every PR; every other
// partition spec and link fault is one scenario of its own.
import { ConfigError } from '../../src/errors.ts';

export interface ScenarioSpec {
  name: string;
  nemesis: string;
  /** Nodes unless the caller asks for another size. */
  nodes: number;
  /** The workload runs this long; the nemesis faults from 20% to 60% of it. */
  durationMs: number;
  /** Each node must see its side of a partition within this. */
  detectBoundMs: number;
  /** After the heal, every acknowledged message delivered and the logs identical within this. */
  convergeBoundMs: number;
  /** Partition scenarios judge detection and serving; link faults only safety and delivery. */
  partitions: boolean;
  /** Sends within a side count for `serving` from this long after the cut. */
  graceMs: number;
}

const partition = (name: string, nemesis = name): ScenarioSpec => ({
  name,
  nemesis,
  nodes: 5,
  durationMs: 10_000,
  detectBoundMs: 3000,
  convergeBoundMs: 5000,
  partitions: true,
  graceMs: 1000,
});
const linkFault = (name: string): ScenarioSpec => ({ ...partition(name), partitions: false });

export const SCENARIOS: readonly ScenarioSpec[] = [
  // 8 s of workload after a ~10 s start on 2 cores: inside the 20 s PR budget.
  { ...partition('split-brain', 'halves'), durationMs: 8000 },
  partition('one'),
  partition('majority'),
  partition('majorities-ring'),
  partition('minority-third'),
  partition('bridge'),
  { ...partition('flapping'), durationMs: 14_000 },
  linkFault('one-way'),
  linkFault('latency-storm'),
  linkFault('bandwidth-squeeze'),
  linkFault('reset-storm'),
  linkFault('slicer'),
  linkFault('limit-data'),
];

export function scenarioNamed(name: string): ScenarioSpec {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new ConfigError(`unknown scenario "${name}"; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}
