// What the checkers judge: histories collected from a mesh, in-process (the
// control suite's simulated members) or over the admin API of real node
// processes (the chaos scenario runner). Every field is plain JSON, so a
// history can be written next to a report and judged again later.
//
//   logs       GET /log?proposals=1 of each node, taken repeatedly, with the time taken
//   statuses   GET /status (membership and control counters), taken repeatedly
//   sends      every POST /send the workload made and how it ended
//   receipts   GET /received of each node at the end, one record per delivered message
//   injections hostile messages the harness injected (forged, replayed, non-member, stale)
//   timeline   nemesis actions (partition, heal) and other notes, with their times
import type { MembershipStatus } from '../../src/mesh/control/membership.ts';
import type { RefusalReason } from '../../src/mesh/control/members.ts';
import type { EntryView, LogView } from '../../src/mesh/control/plane.ts';

export type { EntryView };

export interface LogSnapshot {
  node: string;
  /** Harness clock, ms, when the snapshot was read. */
  at: number;
  entries: EntryView[];
  proposals?: LogView['proposals'];
}

/** The control counters a node exposes in /status (the subset the checkers read). */
export interface ControlCountersView {
  gossip?: { accepted: number; dropped: Partial<Record<RefusalReason, number>>; standing: Record<string, { accepted: number }> };
  quorum?: {
    votesRefused: Partial<Record<RefusalReason, number>>;
    entriesRefused: Partial<Record<RefusalReason, number>>;
    safetyViolations: number;
    /** Verified votes of one member for two events in one slot. */
    equivocations?: number;
  };
}

export interface StatusSnapshot {
  node: string;
  at: number;
  membership: MembershipStatus;
  control?: ControlCountersView;
}

export interface SendRecord {
  /** Unique per workload operation. */
  op: string;
  from: string;
  to: string;
  payload: string;
  sentAt: number;
  /** `acked`: /send answered 200; `timeout`/`error`: the outcome is unknown (it may still be delivered). */
  outcome: 'acked' | 'timeout' | 'error';
  endedAt?: number;
}

export interface ReceiptRecord {
  node: string;
  from: string;
  payload: string;
  /** When the harness read it. */
  at: number;
}

export type InjectionLayer = 'gossip' | 'vote' | 'entry';

export interface Injection {
  at: number;
  /** The node the hostile message was handed to. */
  target: string;
  kind: 'forged' | 'replayed' | 'non-member' | 'stale' | 'unverified';
  layer: InjectionLayer;
  /** The honest member the message claims to come from (or votes as). */
  claimedOrigin: string;
  /** What the target must count it as (any of these). */
  expect: RefusalReason[];
  /** A proposal id the message carried: it must never appear in any log. */
  marker?: string;
  /** Honest messages the claimed origin sent the target afterwards: its standing must grow by at least this. */
  honestAfter?: number;
}

export interface TimelineEvent {
  at: number;
  kind: 'partition' | 'heal' | 'crash' | 'restart' | 'propose' | 'inject' | 'note';
  detail: string;
}

export interface History {
  /** Configured members at epoch 0. */
  members: string[];
  logs: LogSnapshot[];
  statuses: StatusSnapshot[];
  sends: SendRecord[];
  receipts: ReceiptRecord[];
  injections: Injection[];
  timeline: TimelineEvent[];
  /** Node id -> hex encoded certificate, so certificates in logs can be verified cryptographically. */
  certificates?: Record<string, string>;
}

export type CheckerVerdict = 'valid' | 'invalid' | 'unknown';

export interface CheckerResult {
  checker: string;
  verdict: CheckerVerdict;
  reason: string;
  /** The smallest facts that show the verdict: a conflicting slot, a lost message, a counter that did not move. */
  witnesses: unknown[];
  stats: Record<string, unknown>;
}

export function emptyHistory(members: string[]): History {
  return { members, logs: [], statuses: [], sends: [], receipts: [], injections: [], timeline: [] };
}

/** The latest snapshot per node at or before `at` (default: the end). */
export function latestBy<T extends { node: string; at: number }>(xs: readonly T[], at = Number.POSITIVE_INFINITY): Map<string, T> {
  const out = new Map<string, T>();
  for (const x of xs) if (x.at <= at && (out.get(x.node)?.at ?? Number.NEGATIVE_INFINITY) <= x.at) out.set(x.node, x);
  return out;
}
