// Quorum-certified critical events (docs/control-plane.md §4). A node votes
// at most once per slot and epoch; a slot commits when a strict majority of
// the configured members (not of those reachable) signed the same event
// hash. Two sides of a partition can therefore never both commit a slot:
// their majorities would share a member who voted twice. Votes are verified
// when they arrive; certified entries when they arrive and again when they
// are appended. A certified entry for a slot already committed differently
// is a safety violation: counted, kept as a witness, refused.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Clock } from './clock.ts';
import { eventHash, type CriticalEvent, type EventKind } from './events.ts';
import { CommittedLog } from './log.ts';
import type { MembershipStatus } from './membership.ts';
import {
  quorumSize,
  refuse,
  zeroCounts,
  type Checked,
  type ControlSigner,
  type MemberSet,
  type RefusalReason,
  type SignerDirectory,
} from './members.ts';
import type { ControlPayload } from './payloads.ts';
import { certificateFrom, signVote, verifyEntry, verifyVote, type CertifiedEntry, type Vote } from './votes.ts';

/** Slots beyond the last committed one that votes and entries are kept for: bounds memory under hostile input. */
export const MAX_AHEAD = 64;
/** Rounds per slot a node follows; each needs a proof the one before is dead, so this is never reached by honest racing. */
export const MAX_ROUNDS = 32;
const MAX_CONFLICT_WITNESSES = 16;

export interface QuorumOptions {
  signer: ControlSigner;
  directory: SignerDirectory;
  clock: Clock;
  membership: () => MembershipStatus;
  /** Called for each appended entry, in slot order; applying a revocation is the caller's job. */
  onCommit?: (e: CertifiedEntry) => void;
  /** Prefix of proposal ids, e.g. "node-1/7." with the incarnation, so ids never repeat across restarts. */
  proposalPrefix?: string;
}

export type ProposalState = 'queued' | 'voting' | 'committed';

export interface Proposal {
  event: CriticalEvent;
  hash: string;
  state: ProposalState;
  slot?: number;
  /** When the state or slot last changed. */
  since: number;
}

export interface SlotConflict {
  slot: number;
  local: string;
  offered: string;
  at: number;
}

export interface QuorumCounters {
  votesAccepted: number;
  votesRefused: Record<RefusalReason, number>;
  entriesRefused: Record<RefusalReason, number>;
  /** Certificates this node assembled from votes. */
  formed: number;
  appended: number;
  /** Two verified votes by one member for different events in one slot. */
  equivocations: number;
  safetyViolations: number;
  conflicts: SlotConflict[];
}

export class QuorumNode {
  readonly log = new CommittedLog();
  readonly committedAt = new Map<number, number>();
  /** `${slot}/${round}` -> verified votes, one per member. */
  protected readonly ballots = new Map<string, Vote[]>();
  /** slot -> the votes this node signed in it (one per round, in the reference). */
  protected readonly myVotes = new Map<number, Vote[]>();
  /** slot -> the round this node votes in now. */
  protected readonly rounds = new Map<number, number>();
  /** slot -> event hash -> event, from proposals; at most one per member per slot is kept. */
  protected readonly events = new Map<number, Map<string, CriticalEvent>>();
  protected readonly proposals = new Map<string, Proposal>();
  protected readonly future = new Map<number, CertifiedEntry>();
  protected readonly counts: QuorumCounters = {
    votesAccepted: 0,
    votesRefused: zeroCounts(),
    entriesRefused: zeroCounts(),
    formed: 0,
    appended: 0,
    equivocations: 0,
    safetyViolations: 0,
    conflicts: [],
  };
  private nextProposal = 0;
  private epoch: number;

  constructor(protected readonly opts: QuorumOptions) {
    this.epoch = opts.membership().epoch;
  }

  protected get self(): string {
    return this.opts.signer.nodeId;
  }

  protected members(): MemberSet {
    const s = this.opts.membership();
    return { epoch: s.epoch, members: s.members };
  }

  // ---- proposing ------------------------------------------------------------

  propose(kind: EventKind, payload: string): { proposal: Proposal; out: ControlPayload[] } {
    const event: CriticalEvent = {
      kind,
      proposer: this.self,
      proposalId: `${this.opts.proposalPrefix ?? `${this.self}/`}${++this.nextProposal}`,
      payload,
    };
    const p: Proposal = { event, hash: bytesToHex(eventHash(event)), state: 'queued', since: this.opts.clock.now() };
    this.proposals.set(event.proposalId, p);
    return { proposal: { ...p }, out: this.mayPropose() ? this.start(p) : [] };
  }

  /** A minority node queues: it could not commit, and its votes would only delay the majority. */
  protected mayPropose(): boolean {
    return this.opts.membership().partition === 'majority';
  }

  protected start(p: Proposal): ControlPayload[] {
    const slot = this.freeSlot();
    Object.assign(p, { slot, state: 'voting', since: this.opts.clock.now() });
    this.remember(slot, p.hash, p.event);
    return [{ type: 'proposal', slot, event: p.event }, ...this.castVote(slot, this.round(slot), p.hash)];
  }

  /** The lowest slot after the log in which this node has not voted yet. */
  protected freeSlot(): number {
    let s = this.log.lastSlot + 1;
    while (this.myVotes.has(s)) s++;
    return s;
  }

  /** Submits queued proposals once this node is in a majority again. */
  onPartitionChange(): ControlPayload[] {
    if (!this.mayPropose()) return [];
    return [...this.proposals.values()].filter((p) => p.state === 'queued').flatMap((p) => this.start(p));
  }

  /** Re-sends proposals still voting after `afterMs` (lost gossip); receivers answer with their vote again. */
  retry(afterMs: number): ControlPayload[] {
    const now = this.opts.clock.now();
    const out: ControlPayload[] = [];
    for (const p of this.proposals.values()) {
      if (p.state !== 'voting' || now - p.since < afterMs) continue;
      p.since = now;
      out.push({ type: 'proposal', slot: p.slot!, event: p.event });
      for (const vote of this.myVotes.get(p.slot!) ?? []) out.push({ type: 'vote', vote });
    }
    return out;
  }

  // ---- voting ---------------------------------------------------------------

  onProposal(slot: number, event: CriticalEvent): ControlPayload[] {
    if (slot <= this.log.lastSlot || slot > this.log.lastSlot + MAX_AHEAD) return [];
    const hex = bytesToHex(eventHash(event));
    const seen = this.remember(slot, hex, event);
    if (seen === 'full') return [];
    const round = this.round(slot);
    // A repeated proposal (the proposer's retry) gets our votes again: lost votes heal this way.
    const resent: ControlPayload[] = seen === 'known' ? (this.myVotes.get(slot) ?? []).map((vote) => ({ type: 'vote', vote })) : [];
    const choice = round === 0 ? hex : this.choose(slot, round - 1);
    if (!choice || !this.shouldVote(slot, round, choice)) return [...resent, ...this.tryCommit(slot)];
    return [...resent, ...this.castVote(slot, round, choice)];
  }

  /** Keeps a proposal's event: `new`, `known` (seen before), or `full` (the slot holds one per member: a flood). */
  private remember(slot: number, hex: string, event: CriticalEvent): 'new' | 'known' | 'full' {
    let bySlot = this.events.get(slot);
    if (!bySlot) this.events.set(slot, (bySlot = new Map()));
    if (bySlot.has(hex)) return 'known';
    if (bySlot.size >= this.members().members.length) return 'full';
    bySlot.set(hex, event);
    return 'new';
  }

  protected round(slot: number): number {
    return this.rounds.get(slot) ?? 0;
  }

  /** One vote per member per slot and round: the whole safety argument rests on this line. */
  protected shouldVote(slot: number, round: number, _hash: string): boolean {
    return !(this.myVotes.get(slot) ?? []).some((v) => v.round === round);
  }

  protected castVote(slot: number, round: number, hex: string): ControlPayload[] {
    const vote = signVote(this.opts.signer, { slot, round, eventHash: hexToBytes(hex), epoch: this.members().epoch });
    let mine = this.myVotes.get(slot);
    if (!mine) this.myVotes.set(slot, (mine = []));
    mine.push(vote);
    this.recordVote(vote);
    return [{ type: 'vote', vote }, ...this.settle(slot)];
  }

  onVote(v: Vote): ControlPayload[] {
    const ok = this.checkVote(v);
    if (!ok.ok) {
      this.counts.votesRefused[ok.reason]++;
      return [];
    }
    if (v.slot <= this.log.lastSlot) {
      // Too late to count, not too late to notice a signer of the committed certificate voting for something else.
      const c = this.log.at(v.slot)!.certificate;
      if (c.round === v.round && bytesToHex(c.eventHash) !== bytesToHex(v.eventHash) && c.signatures.some((s) => s.voter === v.voter))
        this.counts.equivocations++;
      return [];
    }
    if (v.slot > this.log.lastSlot + MAX_AHEAD || v.round > MAX_ROUNDS) return [];
    const r = this.recordVote(v);
    if (!r.ok) {
      this.counts.votesRefused[r.reason]++;
      return [];
    }
    this.counts.votesAccepted++;
    return this.settle(v.slot);
  }

  protected checkVote(v: Vote): Checked<Vote> {
    return verifyVote(this.opts.directory, this.members(), v);
  }

  protected ballot(slot: number, round: number): Vote[] {
    const k = `${slot}/${round}`;
    let list = this.ballots.get(k);
    if (!list) this.ballots.set(k, (list = []));
    return list;
  }

  /** Keeps the first vote of each member per slot and round; a second one is a duplicate (or an equivocation). */
  protected recordVote(v: Vote): Checked<Vote> {
    const list = this.ballot(v.slot, v.round);
    const prior = list.find((x) => x.voter === v.voter);
    if (prior) {
      const same = bytesToHex(prior.eventHash) === bytesToHex(v.eventHash);
      if (!same) this.counts.equivocations++;
      return refuse('duplicate', `${v.voter} already voted in slot ${v.slot} round ${v.round}${same ? '' : ' for another event'}`);
    }
    list.push(v);
    return { ok: true, value: v };
  }

  protected enough(signers: number): boolean {
    return signers >= quorumSize(this.members());
  }

  /** Commits what a round certifies, or moves past a round that can certify nothing. */
  protected settle(slot: number): ControlPayload[] {
    const committed = this.tryCommit(slot);
    return this.log.lastSlot >= slot ? committed : [...committed, ...this.advanceIfDead(slot)];
  }

  protected tryCommit(slot: number): ControlPayload[] {
    if (slot <= this.log.lastSlot) return [];
    for (let round = 0; round <= MAX_ROUNDS; round++) {
      for (const [hex, votes] of tally(this.ballots.get(`${slot}/${round}`) ?? [])) {
        const event = this.events.get(slot)?.get(hex);
        if (!event || !this.enough(votes.length)) continue;
        const entry: CertifiedEntry = { slot, event, certificate: certificateFrom(votes) };
        this.counts.formed++;
        const out = this.adopt(entry).out;
        // The proposer announces the commit; every other node that formed it stays quiet (digests repair the rest).
        return event.proposer === this.self ? [{ type: 'commit', entry }, ...out] : out;
      }
    }
    return [];
  }

  /**
   * A round is dead when the votes seen prove no event can reach a quorum in
   * it: for every event, its votes plus every member not yet heard from fall
   * short. Only then does this node vote again, in the next round, for the
   * event the dead round favoured (most votes, then lowest hash), so racing
   * proposals cannot stall a slot forever and no round can certify two events.
   */
  protected advanceIfDead(slot: number): ControlPayload[] {
    const round = this.round(slot);
    const votes = this.ballots.get(`${slot}/${round}`) ?? [];
    const unseen = this.members().members.length - votes.length;
    const need = quorumSize(this.members());
    if (!votes.length || round >= MAX_ROUNDS || [...tally(votes).values()].some((v) => v.length + unseen >= need)) return [];
    this.rounds.set(slot, round + 1);
    const choice = this.choose(slot, round);
    return choice && this.shouldVote(slot, round + 1, choice) ? this.castVote(slot, round + 1, choice) : [];
  }

  /** The event a dead round favoured, among those whose proposal we hold. */
  protected choose(slot: number, round: number): string | undefined {
    const known = this.events.get(slot);
    const ranked = [...tally(this.ballots.get(`${slot}/${round}`) ?? [])]
      .filter(([hex]) => known?.has(hex))
      .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1));
    return ranked[0]?.[0] ?? [...(known?.keys() ?? [])].sort()[0];
  }

  // ---- adopting -------------------------------------------------------------

  /** Verifies a certified entry (again, wherever it came from) and appends it in slot order. */
  adopt(entry: CertifiedEntry): { result: Checked<CertifiedEntry>; out: ControlPayload[] } {
    // An entry identical to a committed one changes nothing: skip the signatures (gossip repeats commits).
    const held = this.log.at(entry.slot);
    if (held && bytesToHex(held.certificate.eventHash) === bytesToHex(entry.certificate.eventHash))
      return { result: { ok: true, value: held }, out: [] };
    const v = this.checkEntry(entry);
    if (!v.ok) {
      this.counts.entriesRefused[v.reason]++;
      return { result: v, out: [] };
    }
    const lastSlot = this.log.lastSlot;
    if (entry.slot <= lastSlot) {
      const local = this.log.at(entry.slot)!;
      if (bytesToHex(local.certificate.eventHash) === bytesToHex(entry.certificate.eventHash)) return { result: v, out: [] };
      return { result: this.onConflict(entry, local), out: [] };
    }
    if (entry.slot > lastSlot + 1) {
      if (entry.slot <= lastSlot + MAX_AHEAD) this.future.set(entry.slot, entry);
      return { result: refuse('out_of_order', `slot ${entry.slot} waits for slot ${lastSlot + 1}`), out: [] };
    }
    const out = this.append(entry);
    for (let next = this.future.get(this.log.lastSlot + 1); next; next = this.future.get(this.log.lastSlot + 1)) {
      this.future.delete(next.slot);
      const again = this.checkEntry(next);
      if (!again.ok) {
        this.counts.entriesRefused[again.reason]++;
        break;
      }
      out.push(...this.append(next));
    }
    return { result: v, out };
  }

  protected checkEntry(e: CertifiedEntry): Checked<CertifiedEntry> {
    return verifyEntry(this.opts.directory, this.members(), e);
  }

  /** A second certified event for a committed slot: never adopted. */
  protected onConflict(entry: CertifiedEntry, local: CertifiedEntry): Checked<CertifiedEntry> {
    this.counts.safetyViolations++;
    this.counts.entriesRefused.slot_conflict++;
    const witness = {
      slot: entry.slot,
      local: bytesToHex(local.certificate.eventHash),
      offered: bytesToHex(entry.certificate.eventHash),
      at: this.opts.clock.now(),
    };
    if (this.counts.conflicts.length < MAX_CONFLICT_WITNESSES) this.counts.conflicts.push(witness);
    return refuse(
      'slot_conflict',
      `slot ${entry.slot} is committed to ${witness.local.slice(0, 16)}, refused ${witness.offered.slice(0, 16)}`,
    );
  }

  protected append(entry: CertifiedEntry): ControlPayload[] {
    this.log.append(entry);
    this.committedAt.set(entry.slot, this.opts.clock.now());
    this.counts.appended++;
    for (const k of [...this.ballots.keys()]) if (Number(k.split('/')[0]) <= entry.slot) this.ballots.delete(k);
    for (const s of [...this.myVotes.keys()]) if (s <= entry.slot) this.myVotes.delete(s);
    for (const s of [...this.rounds.keys()]) if (s <= entry.slot) this.rounds.delete(s);
    for (const s of [...this.events.keys()]) if (s <= entry.slot) this.events.delete(s);
    this.opts.onCommit?.(entry);
    const epochChanged = this.members().epoch !== this.epoch;
    if (epochChanged) {
      // Votes of the old epoch can never certify anything now.
      this.epoch = this.members().epoch;
      this.ballots.clear();
      this.myVotes.clear();
      this.rounds.clear();
    }
    const hex = bytesToHex(entry.certificate.eventHash);
    const out: ControlPayload[] = [];
    for (const p of this.proposals.values()) {
      if (p.hash === hex) Object.assign(p, { state: 'committed', slot: entry.slot, since: this.opts.clock.now() });
      else if (p.state === 'voting' && (p.slot === entry.slot || epochChanged)) {
        // Lost the slot (or the epoch moved): propose again, or queue in a minority.
        if (this.mayPropose()) out.push(...this.start(p));
        else Object.assign(p, { state: 'queued', slot: undefined, since: this.opts.clock.now() });
      }
    }
    return out;
  }

  // ---- persistence (the node writes these before it sends, docs/control-plane.md §8) ----

  /** This node's own votes in slots not yet committed. */
  ownVotes(): Vote[] {
    return [...this.myVotes.values()].flat();
  }

  /**
   * Votes this node signed before a restart: remembered again, so the
   * restarted node never signs a second vote in a slot and round. Votes of
   * another voter, an old epoch or a committed slot are ignored.
   */
  restoreOwnVotes(votes: readonly Vote[]): void {
    for (const v of votes) {
      if (v.voter !== this.self || v.epoch !== this.members().epoch || v.slot <= this.log.lastSlot) continue;
      if ((this.myVotes.get(v.slot) ?? []).some((x) => x.round === v.round)) continue;
      this.myVotes.set(v.slot, [...(this.myVotes.get(v.slot) ?? []), v]);
      this.rounds.set(v.slot, Math.max(this.round(v.slot), v.round));
      this.recordVote(v);
    }
  }

  // ---- reading --------------------------------------------------------------

  proposalList(): Proposal[] {
    return [...this.proposals.values()].map((p) => ({ ...p }));
  }

  counters(): QuorumCounters {
    return {
      ...this.counts,
      votesRefused: { ...this.counts.votesRefused },
      entriesRefused: { ...this.counts.entriesRefused },
      conflicts: [...this.counts.conflicts],
    };
  }
}

function tally(votes: readonly Vote[]): Map<string, Vote[]> {
  const byHash = new Map<string, Vote[]>();
  for (const v of votes) {
    const k = bytesToHex(v.eventHash);
    byHash.set(k, [...(byHash.get(k) ?? []), v]);
  }
  return byHash;
}
