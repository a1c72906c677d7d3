// Safety: no slot committed with two different events anywhere, committed
// entries never rewritten, and every committed entry carries a certificate of
// a strict majority of the members of its epoch (structurally here; with
// `verify`, cryptographically too), and no node saw a member vote for two
// events in one slot or refused a conflicting certificate (both prove two
// majorities could form). Unknown when nothing was committed.
import { eventHashHex } from '../../src/mesh/control/events.ts';
import { quorumSize, type MemberSet } from '../../src/mesh/control/members.ts';
import { latestBy, type CheckerResult, type EntryView, type History } from './history.ts';

/** Returns a problem with the entry's certificate, or undefined when it verifies. */
export type CertificateVerifier = (entry: EntryView, members: MemberSet) => string | undefined;

export function structuralProblem(e: EntryView, members: MemberSet): string | undefined {
  const c = e.certificate;
  const computed = eventHashHex({ kind: e.kind, proposer: e.proposer, proposalId: e.proposalId, payload: e.payload });
  if (computed !== e.eventHash) return `slot ${e.slot}: event fields do not hash to ${e.eventHash.slice(0, 16)}`;
  if (c.slot !== e.slot) return `slot ${e.slot}: certificate is for slot ${c.slot}`;
  if (c.eventHash !== e.eventHash) return `slot ${e.slot}: certificate is for another event`;
  if (c.epoch !== members.epoch) return `slot ${e.slot}: certificate of epoch ${c.epoch}, membership at ${members.epoch}`;
  const voters = c.signatures.map((s) => s.voter);
  const dup = voters.find((v, i) => voters.indexOf(v) !== i);
  if (dup) return `slot ${e.slot}: ${dup} signs twice`;
  const outsider = voters.find((v) => !members.members.includes(v));
  if (outsider) return `slot ${e.slot}: signer ${outsider} is not a member at epoch ${members.epoch}`;
  const need = quorumSize(members);
  if (voters.length < need) return `slot ${e.slot}: ${voters.length} signers, ${need} of ${members.members.length} needed`;
  return undefined;
}

/** Member sets along a log: a committed revocation removes its node and moves the epoch. */
export function* withMembers(entries: readonly EntryView[], initial: readonly string[]): Generator<[EntryView, MemberSet]> {
  let m: MemberSet = { epoch: 0, members: [...initial].sort() };
  for (const e of entries) {
    yield [e, m];
    if (e.kind === 'revoke' && m.members.includes(e.payload) && m.members.length > 1)
      m = { epoch: m.epoch + 1, members: m.members.filter((x) => x !== e.payload) };
  }
}

export interface SafetyOptions {
  verify?: CertificateVerifier;
  /**
   * A node that refused a second certificate for a committed slot proves two
   * majorities signed one slot: invalid by default. `ignore` when the harness
   * itself injected that certificate (as the heal check does).
   */
  reportedConflicts?: 'invalid' | 'ignore';
}

export function checkSafety(h: History, opts: SafetyOptions = {}): CheckerResult {
  const witnesses: unknown[] = [];
  const bySlot = new Map<number, Map<string, string[]>>();
  const lastSeen = new Map<string, EntryView[]>();
  let committed = 0;
  const badCerts = new Set<string>();
  const judged = new Map<string, string | undefined>();
  for (const snap of [...h.logs].sort((a, b) => a.at - b.at)) {
    const prev = lastSeen.get(snap.node) ?? [];
    for (const p of prev) {
      const now = snap.entries.find((e) => e.slot === p.slot);
      if (!now || now.eventHash !== p.eventHash) {
        witnesses.push({ rewritten: { node: snap.node, slot: p.slot, before: p.proposalId, after: now?.proposalId ?? null, at: snap.at } });
        break;
      }
    }
    lastSeen.set(snap.node, snap.entries);
    for (const [i, e] of snap.entries.entries()) {
      if (e.slot !== i + 1) witnesses.push({ gap: { node: snap.node, position: i + 1, slot: e.slot } });
      const events = bySlot.get(e.slot) ?? new Map<string, string[]>();
      bySlot.set(e.slot, events);
      const nodes = events.get(e.eventHash) ?? [];
      if (!nodes.includes(snap.node)) nodes.push(snap.node);
      events.set(e.eventHash, nodes);
    }
    for (const [e, members] of withMembers(snap.entries, h.members)) {
      const key = `${snap.node}:${e.slot}:${e.eventHash}`;
      if (badCerts.has(key)) continue;
      // The same certificate is judged once, however many snapshots show it.
      const certKey = `${members.epoch}:${JSON.stringify(e)}`;
      if (!judged.has(certKey)) judged.set(certKey, structuralProblem(e, members) ?? opts.verify?.(e, members));
      const problem = judged.get(certKey);
      if (problem) {
        badCerts.add(key);
        witnesses.push({ badCertificate: { node: snap.node, slot: e.slot, proposalId: e.proposalId, problem } });
      }
    }
  }
  if (opts.reportedConflicts !== 'ignore')
    for (const s of latestBy(h.statuses).values()) {
      const n = s.control?.quorum?.safetyViolations ?? 0;
      if (n > 0) witnesses.push({ reportedConflict: { node: s.node, count: n } });
    }
  // Equivocation is a member signing two events in one slot: proof of a broken vote rule, even if only one committed.
  for (const s of latestBy(h.statuses).values()) {
    const n = s.control?.quorum?.equivocations ?? 0;
    if (n > 0) witnesses.push({ equivocation: { node: s.node, count: n } });
  }
  for (const [slot, events] of bySlot) {
    committed++;
    if (events.size > 1) witnesses.unshift({ conflict: { slot, events: Object.fromEntries(events) } });
  }
  const stats = { slots: committed, nodes: lastSeen.size, cryptographic: opts.verify !== undefined };
  if (witnesses.length) return { checker: 'safety', verdict: 'invalid', reason: describe(witnesses[0]), witnesses, stats };
  if (committed === 0) return { checker: 'safety', verdict: 'unknown', reason: 'nothing was ever committed', witnesses, stats };
  return {
    checker: 'safety',
    verdict: 'valid',
    reason: `${committed} slots, one event each, every certificate from a strict majority`,
    witnesses,
    stats,
  };
}

function describe(w: unknown): string {
  const [kind, v] = Object.entries(w as Record<string, Record<string, unknown>>)[0];
  if (kind === 'conflict') return `slot ${v.slot} committed with ${Object.keys(v.events as object).length} different events`;
  if (kind === 'badCertificate') return `${v.node}: ${v.problem}`;
  if (kind === 'rewritten') return `${v.node} rewrote committed slot ${v.slot}`;
  if (kind === 'equivocation') return `${v.node} saw ${v.count} votes by members who had signed another event in the same slot`;
  if (kind === 'reportedConflict') return `${v.node} refused ${v.count} certificates for slots it had committed differently`;
  return `${v.node}: log position ${v.position} holds slot ${v.slot}`;
}
