// Membership and partition detection (docs/control-plane.md §3), a pure
// clock-driven state machine: the node feeds it the time each peer was last
// heard (its in-channel heartbeats) and calls tick() once per heartbeat
// interval. A peer is reachable while it was heard within
// `timeoutIntervals` heartbeat intervals; the partition is `majority` while
// the reachable set, this node included, is a strict majority of the
// configured members. With the default of 2 intervals and one tick per
// interval a cut link is seen within 3 intervals of the last heartbeat.
import type { Clock } from './clock.ts';
import { isMember, quorumSize, type MemberSet } from './members.ts';

export type Partition = 'majority' | 'minority';

/** As `/status` shows it: `membership: {members, reachable, partition, since}` (plus the epoch). */
export interface MembershipStatus {
  members: string[];
  /** Reachable members, this node included, sorted. */
  reachable: string[];
  partition: Partition;
  /** When `partition` last changed (or the machine started), clock ms. */
  since: number;
  epoch: number;
}

export interface MembershipOptions {
  self: string;
  members: MemberSet;
  heartbeatMs: number;
  /** Heartbeat intervals of silence before a peer is unreachable (default 2). */
  timeoutIntervals?: number;
  clock: Clock;
}

export interface MembershipChange {
  from: Partition;
  to: Partition;
  at: number;
}

export class Membership {
  private readonly lastHeard = new Map<string, number>();
  private members: MemberSet;
  private partition: Partition;
  private since: number;
  private reachableNow: string[];
  /** Heartbeats from ids outside the member set (not believed, only counted). */
  ignored = 0;

  constructor(private readonly opts: MembershipOptions) {
    if (!(opts.heartbeatMs > 0)) throw new RangeError(`heartbeatMs must be positive, got ${opts.heartbeatMs}`);
    if (!isMember(opts.members, opts.self)) throw new RangeError(`${opts.self} is not in its own member set`);
    this.members = opts.members;
    this.since = opts.clock.now();
    this.reachableNow = [opts.self];
    this.partition = this.classify(this.reachableNow);
  }

  /** A heartbeat (or any authenticated frame) from `peer` at time `at`. */
  heard(peer: string, at = this.opts.clock.now()): void {
    if (peer === this.opts.self) return;
    if (!isMember(this.members, peer)) {
      this.ignored++;
      return;
    }
    this.lastHeard.set(peer, Math.max(at, this.lastHeard.get(peer) ?? Number.NEGATIVE_INFINITY));
  }

  /** Re-evaluates reachability at clock.now(); returns the partition change, if any. */
  tick(): MembershipChange | undefined {
    const now = this.opts.clock.now();
    const timeout = this.opts.heartbeatMs * (this.opts.timeoutIntervals ?? 2);
    this.reachableNow = this.members.members.filter(
      (m) => m === this.opts.self || now - (this.lastHeard.get(m) ?? Number.NEGATIVE_INFINITY) <= timeout,
    );
    const next = this.classify(this.reachableNow);
    if (next === this.partition) return undefined;
    const change = { from: this.partition, to: next, at: now };
    this.partition = next;
    this.since = now;
    return change;
  }

  /** A committed membership event (a revocation) replaces the member set. */
  setMembers(m: MemberSet): void {
    this.members = m;
    for (const id of [...this.lastHeard.keys()]) if (!isMember(m, id)) this.lastHeard.delete(id);
    this.reachableNow = this.reachableNow.filter((id) => isMember(m, id));
  }

  memberSet(): MemberSet {
    return this.members;
  }

  isReachable(peer: string): boolean {
    return this.reachableNow.includes(peer);
  }

  status(): MembershipStatus {
    return {
      members: [...this.members.members],
      reachable: [...this.reachableNow],
      partition: this.partition,
      since: this.since,
      epoch: this.members.epoch,
    };
  }

  protected classify(reachable: readonly string[]): Partition {
    return reachable.length >= quorumSize(this.members) ? 'majority' : 'minority';
  }
}
