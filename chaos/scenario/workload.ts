// The client workload every scenario runs throughout: sends between random
// pairs of nodes (a seeded choice, unique payloads) and, where the node
// implements POST /propose, critical proposals. Every operation is recorded
// with how it ended, so the delivery and safety checkers judge what the
// mesh acknowledged, not only whether it stayed up.
import type { SendRecord } from '../checkers/history.ts';
import type { Random } from '../nemesis/random.ts';
import { adminCall, type AdminTarget } from './admin.ts';
import type { Timeline } from './timeline.ts';

export interface WorkloadOptions {
  nodes: readonly AdminTarget[];
  rng: Random;
  timeline: Timeline;
  /** A tag in every payload, so payloads of two runs never mix (the seed). */
  tag: string;
  /** Milliseconds between operations. */
  intervalMs: number;
  /** How long a /send waits for its acknowledgement; longer than a partition, so queued messages can still be acknowledged after the heal. */
  sendTimeoutMs: number;
  /** Every this many operations is a proposal instead of a send (0: none). */
  proposeEvery: number;
}

export interface ProposalRecord {
  op: string;
  node: string;
  proposalId: string;
  at: number;
  /** What POST /propose answered. */
  outcome: 'accepted' | 'refused' | 'error';
  detail?: string;
}

export interface WorkloadResult {
  sends: SendRecord[];
  proposals: ProposalRecord[];
  /** Set when the node command implements no POST /propose (404 no route). */
  proposeMissing?: string;
}

export class Workload {
  private readonly sends: SendRecord[] = [];
  private readonly proposals: ProposalRecord[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private proposeMissing?: string;
  private timer?: NodeJS.Timeout;
  private op = 0;

  constructor(private readonly o: WorkloadOptions) {}

  start(): void {
    this.timer = setInterval(() => this.step(), this.o.intervalMs);
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private step(): void {
    const { nodes, rng, timeline } = this.o;
    const n = ++this.op;
    const op = `op-${n}`;
    const from = rng.pick(nodes);
    if (this.o.proposeEvery > 0 && n % this.o.proposeEvery === 0) {
      if (this.proposeMissing) return;
      const payload = `${this.o.tag}-p${n}`;
      const at = timeline.now();
      this.track(
        adminCall<{ proposal?: { event?: { proposalId?: string } } }>(from, 'POST', '/propose', { kind: 'policy', payload }).then((a) => {
          if (!a.ok && a.missing) {
            this.proposeMissing ??= `${from.id} has no POST /propose (${a.error})`;
            return;
          }
          // The node names the proposal (docs/control-plane.md §8: 202 with proposal.event.proposalId).
          const proposalId = (a.ok ? a.body.proposal?.event?.proposalId : undefined) ?? payload;
          const outcome = a.ok ? 'accepted' : a.status ? 'refused' : 'error';
          this.proposals.push({ op, node: from.id, proposalId, at, outcome, detail: a.ok ? undefined : a.error });
          timeline.add('propose', `${from.id} proposes ${proposalId}: ${a.ok ? 'accepted' : a.error}`, at);
        }),
      );
      return;
    }
    const others = nodes.filter((x) => x.id !== from.id);
    const to = rng.pick(others);
    const payload = `${this.o.tag}-${op}`;
    const sentAt = timeline.now();
    this.track(
      adminCall(from, 'POST', '/send', { to: to.id, payload, timeoutMs: this.o.sendTimeoutMs }, this.o.sendTimeoutMs + 2000).then((a) => {
        const outcome = a.ok ? 'acked' : !a.ok && (a.status === 504 || a.timedOut) ? 'timeout' : 'error';
        this.sends.push({ op, from: from.id, to: to.id, payload, sentAt, outcome, endedAt: timeline.now() });
      }),
    );
  }

  /** Stops issuing operations and waits for those in flight (each ends by its own timeout). */
  async stop(): Promise<WorkloadResult> {
    clearInterval(this.timer);
    await Promise.all([...this.inflight]);
    return { sends: this.sends.sort((a, b) => a.sentAt - b.sentAt), proposals: this.proposals, proposeMissing: this.proposeMissing };
  }
}
