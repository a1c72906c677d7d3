// Forgery: no state change from an unverified, replayed, stale or
// non-member message. For every injection the target must have counted a
// refusal of the expected kind (its counters moved by at least the number
// injected), the claimed origin's standing must not have dropped and must
// have grown by the honest messages it sent afterwards, and a proposal the
// hostile message carried must appear in no log. Unknown without
// injections or without counters from the targets.
import type { CheckerResult, ControlCountersView, History, Injection, StatusSnapshot } from './history.ts';
import { latestBy } from './history.ts';

function counter(c: ControlCountersView | undefined, layer: Injection['layer'], reasons: readonly string[]): number | undefined {
  const table = layer === 'gossip' ? c?.gossip?.dropped : layer === 'vote' ? c?.quorum?.votesRefused : c?.quorum?.entriesRefused;
  if (!table) return undefined;
  return reasons.reduce((n, r) => n + ((table as Record<string, number>)[r] ?? 0), 0);
}

const standingOf = (s: StatusSnapshot | undefined, origin: string) => s?.control?.gossip?.standing[origin]?.accepted ?? 0;

export function checkForgery(h: History): CheckerResult {
  const base = { checker: 'forgery' };
  if (!h.injections.length) return { ...base, verdict: 'unknown', reason: 'no hostile message was injected', witnesses: [], stats: {} };
  const witnesses: unknown[] = [];
  const groups = new Map<string, Injection[]>();
  for (const i of h.injections) {
    const k = `${i.target}|${i.layer}|${[...i.expect].sort().join(',')}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  const final = latestBy(h.statuses);
  const stats: Record<string, unknown> = { injections: h.injections.length };
  for (const [k, list] of groups) {
    const [target, layer] = k.split('|') as [string, Injection['layer']];
    const first = Math.min(...list.map((i) => i.at));
    const before = latestBy(
      h.statuses.filter((s) => s.at < first),
      first,
    ).get(target);
    const after = final.get(target);
    const moved = (counter(after?.control, layer, list[0].expect) ?? Number.NaN) - (counter(before?.control, layer, list[0].expect) ?? 0);
    if (Number.isNaN(moved)) return { ...base, verdict: 'unknown', reason: `${target} reports no ${layer} counters`, witnesses, stats };
    if (moved < list.length)
      witnesses.push({
        notRefused: {
          target,
          layer,
          injected: list.length,
          counted: moved,
          expected: list[0].expect,
          kinds: [...new Set(list.map((i) => i.kind))],
        },
      });
  }
  const origins = new Map<string, Injection[]>();
  for (const i of h.injections.filter((i) => i.layer === 'gossip')) {
    const k = `${i.target}|${i.claimedOrigin}`;
    origins.set(k, [...(origins.get(k) ?? []), i]);
  }
  for (const [k, list] of origins) {
    const [target, origin] = k.split('|');
    const first = Math.min(...list.map((i) => i.at));
    const before = standingOf(
      latestBy(
        h.statuses.filter((s) => s.at < first),
        first,
      ).get(target),
      origin,
    );
    const after = standingOf(final.get(target), origin);
    const honest = list.reduce((n, i) => n + (i.honestAfter ?? 0), 0);
    if (after < before + honest) witnesses.push({ standingLowered: { target, origin, before, after, honestAfter: honest } });
  }
  for (const i of h.injections.filter((i) => i.marker))
    for (const s of h.logs)
      if (s.entries.some((e) => e.proposalId === i.marker)) {
        witnesses.push({ committed: { node: s.node, proposalId: i.marker, kind: i.kind, at: s.at } });
        break;
      }
  if (witnesses.length) {
    const [kind, v] = Object.entries(witnesses[0] as Record<string, Record<string, unknown>>)[0];
    const reason =
      kind === 'notRefused'
        ? `${v.target} counted ${v.counted} of ${v.injected} ${(v.kinds as string[]).join('/')} ${v.layer} messages as ${(v.expected as string[]).join('/')}`
        : kind === 'standingLowered'
          ? `${v.origin}'s standing at ${v.target} went from ${v.before} to ${v.after} (${v.honestAfter} honest messages after the attack)`
          : `${v.node} committed ${v.proposalId}, carried by a ${v.kind} message`;
    return { ...base, verdict: 'invalid', reason, witnesses, stats };
  }
  return {
    ...base,
    verdict: 'valid',
    reason: `${h.injections.length} hostile messages refused and counted; no state change`,
    witnesses,
    stats,
  };
}
