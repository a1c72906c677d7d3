// Recorded chaos runs as test fixtures: a ScenarioRun (what `pqc-harness chaos`
// writes as <scenario>.history.json) trimmed to what the checkers read, and
// judged again by the current checkers. Trimming drops only what no checker
// reads: a log snapshot identical to the node's previous one with no nemesis
// action between them, the proposal queues, and signature bytes (the chaos
// judge checks certificates structurally: who signed, not the bytes).
//   record: npx tsx test/support/recorded-run.ts <history.json> <fixture.json.gz>
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { PartitionWindow } from '../../chaos/checkers/detection.ts';
import type { LogSnapshot } from '../../chaos/checkers/history.ts';
import { judge, type ScenarioVerdict } from '../../chaos/scenario/judge.ts';
import type { ScenarioRun } from '../../chaos/scenario/run.ts';
import { scenarioNamed } from '../../chaos/scenario/scenarios.ts';

export type RecordedRun = Pick<
  ScenarioRun,
  'scenario' | 'seed' | 'nodes' | 'command' | 'history' | 'windows' | 'reach' | 'crashes' | 'verdict' | 'reason' | 'workload'
>;

const contentKey = (s: LogSnapshot) => JSON.stringify(s.entries.map((e) => [e.slot, e.eventHash]));

export function trimRun(run: ScenarioRun): RecordedRun {
  const actions = run.history.timeline.filter((e) => e.kind !== 'note' && e.kind !== 'propose').map((e) => e.at);
  const previous = new Map<string, LogSnapshot>();
  const logs = run.history.logs.filter((s) => {
    const p = previous.get(s.node);
    const keep = !p || contentKey(p) !== contentKey(s) || actions.some((at) => at > p.at && at <= s.at);
    if (keep) previous.set(s.node, s);
    return keep;
  });
  const lean = logs.map(({ proposals: _p, ...s }) => ({
    ...s,
    entries: s.entries.map((e) => ({
      ...e,
      certificate: { ...e.certificate, signatures: e.certificate.signatures.map((g) => ({ ...g, signature: g.signature.slice(0, 16) })) },
    })),
  }));
  const { scenario, seed, nodes, command, verdict, reason, workload } = run;
  const windows = run.windows ?? windowsOf(run);
  return {
    scenario,
    seed,
    nodes,
    command,
    windows,
    reach: run.reach ?? [],
    crashes: run.crashes ?? [],
    verdict,
    reason,
    workload,
    history: { ...run.history, logs: lean },
  };
}

/** Partition windows from the schedule and the timeline, for histories written before runs kept them. */
function windowsOf(run: ScenarioRun): PartitionWindow[] {
  const partitions = run.schedule.actions.flatMap((a) => (a.action.op === 'partition' ? [a.action.partition] : []));
  const cuts = run.history.timeline.filter((e) => e.kind === 'partition' || e.kind === 'heal');
  const out: PartitionWindow[] = [];
  cuts.forEach((e, i) => {
    if (e.kind === 'partition') out.push({ partition: partitions[out.length], from: e.at, to: cuts[i + 1]?.at ?? e.at });
  });
  return out;
}

export function readRecorded(file: string): RecordedRun {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as RecordedRun;
}

/** The current checkers' verdict on a recorded run. */
export function judgeRecorded(r: RecordedRun): ScenarioVerdict {
  return judge({
    spec: scenarioNamed(r.scenario),
    nodes: r.history.members,
    history: r.history,
    windows: r.windows,
    reach: r.reach,
    proposals: r.workload.proposals,
    crashes: r.crashes,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) throw new Error('usage: recorded-run.ts <history.json> <fixture.json.gz>');
  writeFileSync(to, gzipSync(JSON.stringify(trimRun(JSON.parse(readFileSync(from, 'utf8')) as ScenarioRun))));
}
