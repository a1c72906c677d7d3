// Membership through a partition (docs/control-plane.md §3): a node on a
// side without a strict majority of the members must declare `minority`
// within `boundMs`, one on a majority side `majority`, and after the heal
// everyone `majority` again. Unknown when the nodes report no membership in
// GET /status.
import type { CheckerResult, StatusSnapshot } from './history.ts';
import { expectedViews, type PartitionWindow } from './detection.ts';

export function checkMembership(
  nodes: readonly string[],
  windows: readonly PartitionWindow[],
  statuses: readonly StatusSnapshot[],
  boundMs: number,
): CheckerResult {
  const base = { checker: 'membership' };
  if (!statuses.length)
    return { ...base, verdict: 'unknown', reason: 'the nodes report no membership in GET /status', witnesses: [], stats: {} };
  if (!windows.length) return { ...base, verdict: 'unknown', reason: 'no partition took effect', witnesses: [], stats: {} };
  const witnesses: unknown[] = [];
  const majority = Math.floor(nodes.length / 2) + 1;
  for (const w of windows) {
    const views = expectedViews(nodes, w.partition);
    for (const n of nodes) {
      const want = views.get(n)!.length + 1 >= majority ? 'majority' : 'minority';
      const mine = statuses.filter((s) => s.node === n && s.at >= w.from && s.at <= w.to);
      const hit = mine.find((s) => s.membership.partition === want);
      if (!hit || hit.at - w.from > boundMs)
        witnesses.push({
          wrongSide: { node: n, spec: w.partition.spec, expected: want, saw: mine.at(-1)?.membership.partition ?? null, boundMs },
        });
    }
  }
  const stats = { partitions: windows.length, boundMs };
  if (witnesses.length) {
    const v = (witnesses[0] as { wrongSide: { node: string; expected: string; saw: string | null } }).wrongSide;
    return {
      ...base,
      verdict: 'invalid',
      reason: `${v.node} never declared ${v.expected} within ${boundMs} ms (saw ${v.saw})`,
      witnesses,
      stats,
    };
  }
  return { ...base, verdict: 'valid', reason: 'every node declared its side (minority or majority) within the bound', witnesses, stats };
}
