// In-process QuorumNodes for unit tests of quorum.ts: one PKI, a manual
// clock, a membership each test can move (partition, epoch), and no
// network: a test hands one node's output to another itself, so every
// message and its order is explicit.
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { ManualClock } from '../../src/mesh/control/clock.ts';
import { eventHashHex, type CriticalEvent } from '../../src/mesh/control/events.ts';
import { controlSigner, SignerDirectory, type ControlSigner } from '../../src/mesh/control/members.ts';
import type { MembershipStatus, Partition } from '../../src/mesh/control/membership.ts';
import type { ControlPayload } from '../../src/mesh/control/payloads.ts';
import { QuorumNode, type QuorumOptions } from '../../src/mesh/control/quorum.ts';
import type { CertifiedEntry, Vote } from '../../src/mesh/control/votes.ts';
import { entryFrom, voteAs } from '../../suites/control/attacks.ts';
import { controlPki } from '../../suites/control/cluster.ts';

/** QuorumNode with its protected helpers opened for the assertions that need them. */
export class OpenQuorumNode extends QuorumNode {
  record(v: Vote): ReturnType<QuorumNode['recordVote']> {
    return this.recordVote(v);
  }
  roundOf(slot: number): number {
    return this.round(slot);
  }
}

export interface View {
  partition: Partition;
  epoch: number;
}

export interface QuorumNet {
  ids: string[];
  clock: ManualClock;
  signers: Record<string, ControlSigner>;
  /** Each node's membership as it sees it; tests change it in place. */
  views: Record<string, View>;
  /** Entries each node's onCommit saw, in order. */
  commits: Record<string, CertifiedEntry[]>;
  node(id: string): OpenQuorumNode;
  /** Hands `payloads` to node `to` in order; returns everything it answered. */
  deliver(to: string, payloads: readonly ControlPayload[]): ControlPayload[];
  /** A vote signed by `voter` (slot, event, round, epoch 0 unless given). */
  vote(voter: string, slot: number, event: CriticalEvent, round?: number, epoch?: number): Vote;
  /** An entry certified by `voters`. */
  entry(slot: number, event: CriticalEvent, voters: readonly string[], round?: number, epoch?: number): CertifiedEntry;
}

export const START = 1_000_000;

export function event(proposalId: string, proposer = 'node-1', payload = 'node-2'): CriticalEvent {
  return { kind: 'revoke', proposer, proposalId, payload };
}

/** Events sorted by their hash, lowest first. */
export function byHash(events: CriticalEvent[]): CriticalEvent[] {
  return [...events].sort((a, b) => (eventHashHex(a) < eventHashHex(b) ? -1 : 1));
}

export function quorumNet(
  backend: CryptoBackend,
  size: number,
  o: { onCommit?: (id: string, e: CertifiedEntry) => void; prefix?: string; withoutOnCommit?: boolean } = {},
): QuorumNet {
  const pki = controlPki(backend, size);
  const ids = Array.from({ length: size }, (_, i) => `node-${i + 1}`);
  const signers = Object.fromEntries([...pki.identities.keys()].map((id) => [id, controlSigner(pki.identities.get(id)!, backend)]));
  const clock = new ManualClock(START);
  const views: Record<string, View> = {};
  const commits: Record<string, CertifiedEntry[]> = {};
  const nodes = new Map<string, OpenQuorumNode>();
  for (const id of ids) {
    views[id] = { partition: 'majority', epoch: 0 };
    commits[id] = [];
    // Certificates are checked at the PKI's issue time, the quorum's own clock is the manual one.
    const directory = new SignerDirectory(pki.trust, new ManualClock(pki.issuedAt));
    for (const s of Object.values(signers)) directory.certificate(s.certificate);
    const membership = (): MembershipStatus => ({
      members: ids,
      reachable: ids,
      partition: views[id].partition,
      since: START,
      epoch: views[id].epoch,
    });
    const opts: QuorumOptions = {
      signer: signers[id],
      directory,
      clock,
      membership,
      ...(o.withoutOnCommit
        ? {}
        : {
            onCommit: (e: CertifiedEntry) => {
              commits[id].push(e);
              o.onCommit?.(id, e);
            },
          }),
      ...(o.prefix ? { proposalPrefix: `${id}/${o.prefix}` } : {}),
    };
    nodes.set(id, new OpenQuorumNode(opts));
  }
  const node = (id: string): OpenQuorumNode => {
    const n = nodes.get(id);
    if (!n) throw new Error(`no quorum node ${id}`);
    return n;
  };
  const deliver = (to: string, payloads: readonly ControlPayload[]): ControlPayload[] =>
    payloads.flatMap((p) => {
      const n = node(to);
      if (p.type === 'proposal') return n.onProposal(p.slot, p.event);
      if (p.type === 'vote') return n.onVote(p.vote);
      if (p.type === 'commit') return n.adopt(p.entry).out;
      throw new Error(`the quorum kit does not deliver ${p.type}`);
    });
  const vote = (voter: string, slot: number, ev: CriticalEvent, round = 0, epoch = 0): Vote =>
    voteAs(signers[voter], voter, slot, ev, epoch, round);
  const entry = (slot: number, ev: CriticalEvent, voters: readonly string[], round = 0, epoch = 0): CertifiedEntry =>
    entryFrom(
      slot,
      ev,
      voters.map((v) => vote(v, slot, ev, round, epoch)),
    );
  return { ids, clock, signers, views, commits, node, deliver, vote, entry };
}

/** The payloads of one type, for assertions on what a node answered. */
export function ofType<T extends ControlPayload['type']>(out: readonly ControlPayload[], type: T): Extract<ControlPayload, { type: T }>[] {
  return out.filter((p): p is Extract<ControlPayload, { type: T }> => p.type === type);
}
