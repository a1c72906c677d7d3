// Membership through a partition (docs/control-plane.md §3): a node on a
// side without a strict majority of the members must declare `minority`
// within `boundMs`, one on a majority side `majority`, and (given the heal)
// everyone `majority` again within its bound. Unknown when the nodes report
// no membership in GET /status.
import type { CheckerResult, StatusSnapshot } from './history.ts';
import { expectedViews, type PartitionWindow } from './detection.ts';

export interface HealedExpectation {
  /** The last heal (harness ms). */
  at: number;
  /** Every node must report `majority` again within this of it. */
  boundMs: number;
}

export function checkMembership(
  nodes: readonly string[],
  windows: readonly PartitionWindow[],
  statuses: readonly StatusSnapshot[],
  boundMs: number,
  healed?: HealedExpectation,
): CheckerResult {
  const base = { checker: 'membership' };
  if (!statuses.length)
    return { ...base, verdict: 'unknown', reason: 'the nodes report no membership in GET /status', witnesses: [], stats: {} };
  if (!windows.length && !healed) return { ...base, verdict: 'unknown', reason: 'no partition took effect', witnesses: [], stats: {} };
  const witnesses: unknown[] = [];
  if (healed)
    for (const n of nodes) {
      const back = statuses.find((s) => s.node === n && s.at >= healed.at && s.membership.partition === 'majority');
      if (!back || back.at - healed.at > healed.boundMs) {
        // What the node still said when the bound ran out (the last word, if it never spoke after it).
        const mine = statuses.filter((s) => s.node === n && s.at >= healed.at);
        const atBound = mine.filter((s) => s.at <= healed.at + healed.boundMs).at(-1) ?? mine.at(-1);
        witnesses.push({
          notHealed: {
            node: n,
            saw: atBound?.membership.partition ?? null,
            majorityAfterMs: back ? back.at - healed.at : null,
            boundMs: healed.boundMs,
          },
        });
      }
    }
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
  const stats = { partitions: windows.length, boundMs, healedBoundMs: healed?.boundMs };
  if (witnesses.length) {
    const [kind, v] = Object.entries(
      witnesses[0] as Record<string, { node: string; expected?: string; saw: string | null; boundMs: number }>,
    )[0];
    const what = kind === 'notHealed' ? 'majority after the heal' : v.expected;
    return {
      ...base,
      verdict: 'invalid',
      reason: `${v.node} never declared ${what} within ${v.boundMs} ms (saw ${v.saw})`,
      witnesses,
      stats,
    };
  }
  const sides = windows.length ? 'every node declared its side (minority or majority) within the bound' : 'no side was owed a declaration';
  return { ...base, verdict: 'valid', reason: `${sides}${healed ? '; every node majority again after the heal' : ''}`, witnesses, stats };
}
