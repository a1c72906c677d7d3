// Detection: during each partition, every node's view of whom it can reach
// (the per-peer liveness of GET /status, docs/node-contract.md §4) must
// become exactly its side of the cut within `boundMs`, and after the heal
// every peer again. A view that never matches is a witness; no view in the
// window is unknown. A link counts as up only if both directions are, since
// a session needs both.
import { reachability } from '../nemesis/partition.ts';
import type { Partition } from '../nemesis/partition.ts';
import type { CheckerResult } from './history.ts';

export interface ReachSnapshot {
  node: string;
  at: number;
  /** Peers the node reports reachable, sorted. */
  reachable: string[];
}

export interface PartitionWindow {
  partition: Partition;
  from: number;
  /** When the heal took effect. */
  to: number;
}

/** The peers each node should see during a partition: both directions of the link up. */
export function expectedViews(nodes: readonly string[], p: Partition): Map<string, string[]> {
  const out = reachability(nodes, p.cut);
  return new Map(
    nodes.map((n) => [
      n,
      out
        .get(n)!
        .filter((m) => out.get(m)!.includes(n))
        .sort(),
    ]),
  );
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function checkDetection(
  nodes: readonly string[],
  windows: readonly PartitionWindow[],
  snaps: readonly ReachSnapshot[],
  boundMs: number,
): CheckerResult {
  const base = { checker: 'detection' };
  if (!windows.length) return { ...base, verdict: 'unknown', reason: 'no partition took effect', witnesses: [], stats: {} };
  const witnesses: unknown[] = [];
  const detectMs: number[] = [];
  for (const w of windows) {
    const expected = expectedViews(nodes, w.partition);
    for (const n of nodes) {
      const mine = snaps.filter((s) => s.node === n && s.at >= w.from && s.at <= w.to);
      if (!mine.length)
        return {
          ...base,
          verdict: 'unknown',
          reason: `no /status from ${n} during the ${w.partition.spec} partition`,
          witnesses,
          stats: {},
        };
      const hit = mine.find((s) => same(s.reachable, expected.get(n)!));
      if (hit && hit.at - w.from <= boundMs) detectMs.push(hit.at - w.from);
      else
        witnesses.push({
          undetected: {
            node: n,
            spec: w.partition.spec,
            expected: expected.get(n),
            saw: mine[mine.length - 1].reachable,
            afterMs: hit ? hit.at - w.from : null,
            boundMs,
          },
        });
    }
  }
  const stats = { partitions: windows.length, boundMs, maxDetectMs: detectMs.length ? Math.max(...detectMs) : null };
  if (witnesses.length) {
    const v = (witnesses[0] as { undetected: { node: string; expected: string[]; saw: string[]; afterMs: number | null } }).undetected;
    return {
      ...base,
      verdict: 'invalid',
      reason: `${v.node} ${v.afterMs === null ? 'never saw' : `took ${v.afterMs} ms to see`} its side [${v.expected.join(', ')}] (last saw [${v.saw.join(', ')}])`,
      witnesses,
      stats,
    };
  }
  return {
    ...base,
    verdict: 'valid',
    reason: `every node saw its side within ${stats.maxDetectMs} ms (bound ${boundMs} ms)`,
    witnesses,
    stats,
  };
}
