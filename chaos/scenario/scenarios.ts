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
  /**
   * Each partition owes its sides detection, serving and a declaration
   * (minority/majority). Link faults owe none (they cut no clean side), nor
   * does flapping. Every scenario owes safety, delivery, convergence and,
   * after the last heal, every node `majority` again.
   */
  partitions: boolean;
  /** The nemesis kills and restarts nodes: each must rejoin every peer (chaos/checkers/rejoin.ts). */
  crashes: boolean;
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
  crashes: false,
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
  // Episodes of ~0.7 s, shorter than the dead-peer timeout (1 s) plus a
  // membership tick: no side is owed a declaration within one (a poll may not
  // even land in it). What flapping must not break is judged: safety,
  // delivery, convergence, and everyone majority after the last heal.
  { ...partition('flapping'), durationMs: 14_000, partitions: false },
  linkFault('one-way'),
  linkFault('latency-storm'),
  linkFault('bandwidth-squeeze'),
  linkFault('reset-storm'),
  linkFault('slicer'),
  linkFault('limit-data'),
  // SIGKILL one node mid-run, restart it from its config (docs/node-contract.md §8).
  { ...partition('crash-restart'), partitions: false, crashes: true },
];

export function scenarioNamed(name: string): ScenarioSpec {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new ConfigError(`unknown scenario "${name}"; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}
