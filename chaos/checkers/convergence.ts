// Convergence: after the last heal, every node ends with the same committed
// log (slot, event hash) and the same membership (epoch, members), within
// `boundMs` of the heal; the measured time is the first moment every node's
// latest snapshot shows that final state. `mustContain` names proposal ids
// that must be in the converged log (both sides' proposals after a split).
// Unknown without a heal, without snapshots after it, or with nothing
// committed.
import type { CheckerResult, History, LogSnapshot, StatusSnapshot } from './history.ts';

export interface ConvergenceOptions {
  boundMs: number;
  mustContain?: string[];
  /**
   * When each proposal was made (harness ms). A workload that keeps proposing
   * after the heal keeps every log growing, so "identical to the final log"
   * would time the last commit of normal operation, not the merge. With this,
   * the time to converge runs until every node holds the same prefix up to
   * the last entry proposed before the heal; the final logs must still be
   * identical, so nothing is judged more leniently.
   */
  proposedAt?: ReadonlyMap<string, number>;
}

const logKey = (s: LogSnapshot, length = s.entries.length) =>
  s.entries
    .slice(0, length)
    .map((e) => `${e.slot}:${e.eventHash}`)
    .join(',');
const memberKey = (s: StatusSnapshot) => `${s.membership.epoch}:${s.membership.members.join(',')}`;

export function checkConvergence(h: History, opts: ConvergenceOptions): CheckerResult {
  const heals = h.timeline.filter((t) => t.kind === 'heal');
  const base = { checker: 'convergence', witnesses: [] as unknown[] };
  if (!heals.length) return { ...base, verdict: 'unknown', reason: 'the history has no heal', stats: {} };
  const healAt = Math.max(...heals.map((t) => t.at));
  const logs = h.logs.filter((s) => s.at >= healAt).sort((a, b) => a.at - b.at);
  const statuses = h.statuses.filter((s) => s.at >= healAt).sort((a, b) => a.at - b.at);
  const nodes = [...new Set(h.logs.map((s) => s.node))].sort();
  const missing = nodes.filter((n) => !logs.some((s) => s.node === n));
  if (!nodes.length || missing.length)
    return {
      ...base,
      verdict: 'unknown',
      reason: `no /log snapshot after the heal from ${missing.join(', ') || 'any node'}`,
      stats: { healAt },
    };
  const finalLogs = new Map(logs.map((s) => [s.node, s]));
  const finalStatus = new Map(statuses.map((s) => [s.node, s]));
  const stats: Record<string, unknown> = { healAt, nodes: nodes.length, boundMs: opts.boundMs };
  const reference = finalLogs.get(nodes[0])!;
  const witnesses: unknown[] = [];
  for (const n of nodes) {
    const s = finalLogs.get(n)!;
    if (logKey(s) !== logKey(reference))
      witnesses.push({
        logDiffers: { node: n, slots: s.entries.map((e) => e.proposalId), [nodes[0]]: reference.entries.map((e) => e.proposalId) },
      });
    const st = finalStatus.get(n);
    const st0 = finalStatus.get(nodes[0]);
    if (st && st0 && memberKey(st) !== memberKey(st0))
      witnesses.push({
        membershipDiffers: { node: n, epoch: st.membership.epoch, members: st.membership.members, [nodes[0]]: st0.membership.members },
      });
  }
  for (const id of opts.mustContain ?? [])
    if (!reference.entries.some((e) => e.proposalId === id)) witnesses.push({ missing: { proposalId: id, node: nodes[0] } });
  if (witnesses.length) {
    const w = witnesses[0] as Record<string, { node?: string; proposalId?: string }>;
    const [k, v] = Object.entries(w)[0];
    const reason =
      k === 'missing'
        ? `the converged log lacks proposal ${v.proposalId}`
        : `${v.node}'s final ${k === 'logDiffers' ? 'log' : 'membership'} differs from ${nodes[0]}'s`;
    return { ...base, verdict: 'invalid', reason, witnesses, stats };
  }
  if (reference.entries.length === 0) return { ...base, verdict: 'unknown', reason: 'nothing was ever committed', stats };
  const after = (e: LogSnapshot['entries'][number]) => (opts.proposedAt?.get(e.proposalId) ?? Number.NEGATIVE_INFINITY) > healAt;
  const settled = reference.entries.findLastIndex((e) => !after(e)) + 1;
  const target = logKey(reference, settled);
  let convergedAt: number | undefined;
  const latest = new Map<string, LogSnapshot>();
  for (const s of logs) {
    latest.set(s.node, s);
    if (latest.size === nodes.length && [...latest.values()].every((x) => x.entries.length >= settled && logKey(x, settled) === target)) {
      convergedAt = s.at;
      break;
    }
  }
  const ms = convergedAt! - healAt;
  stats.convergenceMs = ms;
  stats.slots = reference.entries.length;
  stats.settledSlots = settled;
  if (ms > opts.boundMs)
    return {
      ...base,
      verdict: 'invalid',
      reason: `converged ${ms} ms after the heal, over the ${opts.boundMs} ms bound`,
      witnesses,
      stats,
    };
  return {
    ...base,
    verdict: 'valid',
    reason: `${nodes.length} nodes identical (${reference.entries.length} slots) ${ms} ms after the heal`,
    witnesses,
    stats,
  };
}
