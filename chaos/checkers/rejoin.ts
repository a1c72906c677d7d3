// Rejoin after a crash (docs/node-contract.md §8): a node killed with
// SIGKILL and restarted from its config must come back, reach every other
// node again, and be reached by them, within `boundMs` of its restart. What
// it owes about messages and commits is judged by delivery, safety and
// convergence over the same history. Unknown when no crash took effect.
import type { ReachSnapshot } from './detection.ts';
import type { CheckerResult } from './history.ts';

export interface CrashWindow {
  node: string;
  /** When the node was killed, and when its restarted process printed its ready line (harness ms). */
  killedAt: number;
  restartedAt?: number;
}

export function checkRejoin(
  nodes: readonly string[],
  crashes: readonly CrashWindow[],
  reach: readonly ReachSnapshot[],
  boundMs: number,
): CheckerResult {
  const base = { checker: 'rejoin' };
  if (!crashes.length) return { ...base, verdict: 'unknown', reason: 'no node was crashed', witnesses: [], stats: {} };
  const witnesses: unknown[] = [];
  const rejoinMs: number[] = [];
  for (const c of crashes) {
    if (c.restartedAt === undefined) {
      witnesses.push({ notRestarted: { node: c.node, killedAt: c.killedAt } });
      continue;
    }
    const from = c.restartedAt;
    const others = nodes.filter((n) => n !== c.node);
    // The first time, after the restart, that each side of every pair reports the other reachable.
    const seenBy = (a: string, b: string) => reach.find((r) => r.node === a && r.at >= from && r.reachable.includes(b))?.at;
    const times = others.flatMap((o) => [seenBy(c.node, o), seenBy(o, c.node)]);
    const missing = others.filter((o) => seenBy(c.node, o) === undefined || seenBy(o, c.node) === undefined);
    const at = missing.length ? undefined : Math.max(...(times as number[]));
    if (at === undefined || at - from > boundMs)
      witnesses.push({
        notRejoined: { node: c.node, restartedAt: from, unreachable: missing, tookMs: at === undefined ? null : at - from, boundMs },
      });
    else rejoinMs.push(at - from);
  }
  const stats = { crashes: crashes.length, rejoinMs, boundMs };
  if (witnesses.length) {
    const [kind, v] = Object.entries(witnesses[0] as Record<string, { node: string }>)[0];
    const why = kind === 'notRestarted' ? 'was never restarted' : `did not rejoin every peer within ${boundMs} ms`;
    return { ...base, verdict: 'invalid', reason: `${v.node} ${why}`, witnesses, stats };
  }
  return { ...base, verdict: 'valid', reason: `every crashed node rejoined the mesh within ${Math.max(...rejoinMs)} ms`, witnesses, stats };
}
