// Serving through a partition: a node keeps carrying messages between peers
// it can still reach. Every send issued during a partition (after `graceMs`
// for the nodes to notice it) between two nodes on the same side must be
// acknowledged. Unknown when the workload sent nothing within a side.
import type { CheckerResult, SendRecord } from './history.ts';
import { expectedViews, type PartitionWindow } from './detection.ts';

export function checkServing(
  nodes: readonly string[],
  windows: readonly PartitionWindow[],
  sends: readonly SendRecord[],
  graceMs: number,
): CheckerResult {
  const base = { checker: 'serving' };
  const witnesses: unknown[] = [];
  let within = 0;
  let acked = 0;
  for (const w of windows) {
    const views = expectedViews(nodes, w.partition);
    for (const s of sends) {
      if (s.sentAt < w.from + graceMs || s.sentAt > w.to || !views.get(s.from)?.includes(s.to)) continue;
      within++;
      if (s.outcome === 'acked') acked++;
      else
        witnesses.push({ notServed: { op: s.op, from: s.from, to: s.to, outcome: s.outcome, sentAt: s.sentAt, spec: w.partition.spec } });
    }
  }
  const stats = { withinSide: within, acked, graceMs };
  if (witnesses.length) {
    const v = (witnesses[0] as { notServed: SendRecord }).notServed;
    return {
      ...base,
      verdict: 'invalid',
      reason: `${within - acked} of ${within} sends within a side not acknowledged (first: ${v.from}->${v.to} ${v.outcome})`,
      witnesses,
      stats,
    };
  }
  if (!within)
    return { ...base, verdict: 'unknown', reason: 'the workload sent nothing between nodes on one side of a partition', witnesses, stats };
  return { ...base, verdict: 'valid', reason: `${acked} sends within a side acknowledged during the partition`, witnesses, stats };
}
