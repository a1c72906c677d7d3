// QuorumNode proposing, voting and committing (docs/control-plane.md §4),
// in process: three nodes, a manual clock, every message handed over by the
// test. Written for the mutation run (docs/mutation.md): each assertion pins
// one decision of quorum.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { eventHashHex } from '../../src/mesh/control/events.ts';
import { MAX_AHEAD, MAX_ROUNDS } from '../../src/mesh/control/quorum.ts';
import { bytesToHex } from '@noble/hashes/utils.js';
import { event, ofType, quorumNet, START } from '../support/quorum-kit.ts';

let backend: CryptoBackend;
beforeAll(async () => {
  backend = await loadBackend('liboqs');
});

describe('proposing', () => {
  it('a majority node proposes in the first free slot and votes for it at once', () => {
    const n = quorumNet(backend, 3);
    const a = n.node('node-1');
    n.clock.advance(5);
    const { proposal, out } = a.propose('policy', 'text-1');
    const ev = { kind: 'policy', proposer: 'node-1', proposalId: 'node-1/1', payload: 'text-1' };
    // The proposal as it was before it started: queued, no slot.
    expect(proposal).toEqual({ event: ev, hash: eventHashHex(proposal.event), state: 'queued', since: START + 5 });
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ type: 'proposal', slot: 1, event: ev });
    const [v] = ofType(out, 'vote');
    expect(v.vote).toMatchObject({ slot: 1, round: 0, epoch: 0, voter: 'node-1' });
    expect(bytesToHex(v.vote.eventHash)).toBe(proposal.hash);
    n.clock.advance(5);
    const second = a.propose('revoke', 'node-3');
    expect(second.proposal.event.proposalId).toBe('node-1/2');
    expect(second.out[0]).toMatchObject({ type: 'proposal', slot: 2 });
    expect(a.proposalList()).toEqual([
      expect.objectContaining({ state: 'voting', slot: 1, since: START + 5 }),
      expect.objectContaining({ state: 'voting', slot: 2, since: START + 10 }),
    ]);
    // A copy: changing it changes nothing inside.
    a.proposalList()[0].state = 'committed';
    expect(a.proposalList()[0].state).toBe('voting');
  });

  it('proposal ids carry the configured prefix', () => {
    const n = quorumNet(backend, 3, { prefix: '7.' });
    expect(n.node('node-2').propose('policy', 'x').proposal.event.proposalId).toBe('node-2/7.1');
  });

  it('a minority node queues, and submits only once it is in a majority again', () => {
    const n = quorumNet(backend, 3);
    const a = n.node('node-1');
    n.views['node-1'].partition = 'minority';
    expect(a.propose('policy', 'queued-1').out).toEqual([]);
    expect(a.proposalList()).toEqual([expect.objectContaining({ state: 'queued', since: START })]);
    expect(a.proposalList()[0].slot).toBeUndefined();
    expect(a.onPartitionChange()).toEqual([]);
    n.views['node-1'].partition = 'majority';
    n.clock.advance(100);
    const out = a.onPartitionChange();
    expect(out.map((p) => p.type)).toEqual(['proposal', 'vote']);
    expect(out[0]).toMatchObject({ type: 'proposal', slot: 1 });
    expect(a.proposalList()).toEqual([expect.objectContaining({ state: 'voting', slot: 1, since: START + 100 })]);
    // Nothing is queued any more: a second change submits nothing again.
    expect(a.onPartitionChange()).toEqual([]);
  });

  it('retries a proposal still voting after afterMs, with its vote, and not before', () => {
    const n = quorumNet(backend, 3);
    const a = n.node('node-1');
    const first = a.propose('policy', 'r').out;
    n.clock.advance(999);
    expect(a.retry(1000)).toEqual([]);
    n.clock.advance(1);
    const again = a.retry(1000);
    expect(again).toEqual(first);
    expect(a.proposalList()[0].since).toBe(START + 1000);
    expect(a.retry(1000)).toEqual([]);
    // Once committed it is never retried.
    n.deliver('node-1', [{ type: 'vote', vote: n.vote('node-2', 1, a.proposalList()[0].event) }]);
    n.clock.advance(5000);
    expect(a.proposalList()[0].state).toBe('committed');
    expect(a.retry(1000)).toEqual([]);
  });
});

describe('voting and committing', () => {
  it('a strict majority commits; only the proposer announces it; onCommit and the counters follow', () => {
    const n = quorumNet(backend, 3);
    const [a, b, c] = ['node-1', 'node-2', 'node-3'].map((id) => n.node(id));
    const { out } = a.propose('revoke', 'node-3');
    const ev = ofType(out, 'proposal')[0].event;
    n.clock.advance(10);
    // node-2 sees the proposal (votes), then node-1's vote: it forms the certificate and stays quiet.
    const bOut = n.deliver('node-2', out);
    expect(bOut.map((p) => p.type)).toEqual(['vote']);
    expect(b.log.lastSlot).toBe(1);
    expect(b.counters()).toMatchObject({ formed: 1, appended: 1, votesAccepted: 1 });
    // node-1 gets node-2's vote: it forms it too, and as the proposer announces the commit.
    n.clock.advance(10);
    const aOut = n.deliver('node-1', bOut);
    expect(aOut.map((p) => p.type)).toEqual(['commit']);
    const [commit] = ofType(aOut, 'commit');
    expect(commit.entry).toMatchObject({ slot: 1, event: ev, certificate: { slot: 1, round: 0, epoch: 0 } });
    expect(commit.entry.certificate.signatures.map((s) => s.voter)).toEqual(['node-1', 'node-2']);
    expect(a.committedAt.get(1)).toBe(START + 20);
    expect(n.commits['node-1']).toEqual([commit.entry]);
    expect(a.proposalList()[0]).toMatchObject({ state: 'committed', slot: 1, since: START + 20 });
    expect(a.ownVotes()).toEqual([]);
    // node-3 adopts the announced commit without having voted.
    expect(n.deliver('node-3', aOut)).toEqual([]);
    expect(c.counters()).toMatchObject({ formed: 0, appended: 1, votesAccepted: 0 });
    expect(n.commits['node-3']).toHaveLength(1);
    // A repeated commit changes nothing.
    expect(c.adopt(commit.entry)).toEqual({ result: { ok: true, value: c.log.at(1) }, out: [] });
    expect(c.counters().appended).toBe(1);
    // A late vote for the committed slot is not counted.
    n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', 1, ev) }]);
    expect(c.counters()).toMatchObject({ votesAccepted: 0, equivocations: 0 });
  });

  it('a signer of a committed certificate voting for another event in that slot and round is an equivocation', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const ev = event('e-1');
    n.deliver('node-3', [{ type: 'commit', entry: n.entry(1, ev, ['node-1', 'node-2']) }]);
    const other = event('e-2');
    n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-3', 1, other) }]); // not a signer
    n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-2', 1, other, 1) }]); // another round
    n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-2', 1, ev) }]); // the same event
    expect(c.counters().equivocations).toBe(0);
    expect(n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-2', 1, other) }])).toEqual([]);
    expect(c.counters().equivocations).toBe(1);
  });

  it('refuses unverified votes, counts duplicates and equivocations, and ignores votes too far ahead', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const ev = event('e-1');
    const forged = { ...n.vote('node-2', 1, ev), voter: 'node-1' };
    expect(n.deliver('node-3', [{ type: 'vote', vote: forged }])).toEqual([]);
    expect(c.counters().votesRefused.bad_signature).toBe(1);
    const v = n.vote('node-1', 1, ev);
    n.deliver('node-3', [{ type: 'vote', vote: v }]);
    expect(n.deliver('node-3', [{ type: 'vote', vote: v }])).toEqual([]);
    expect(c.counters()).toMatchObject({ votesAccepted: 1, equivocations: 0 });
    expect(c.counters().votesRefused.duplicate).toBe(1);
    n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', 1, event('e-2')) }]);
    expect(c.counters()).toMatchObject({ votesAccepted: 1, equivocations: 1 });
    expect(c.counters().votesRefused.duplicate).toBe(2);
    expect(c.record(v)).toEqual({ ok: false, reason: 'duplicate', detail: 'node-1 already voted in slot 1 round 0' });
    expect(c.record(n.vote('node-1', 1, event('e-3')))).toMatchObject({
      detail: 'node-1 already voted in slot 1 round 0 for another event',
    });
    // The bounds: MAX_AHEAD slots and MAX_ROUNDS rounds are kept, one more is not.
    expect(n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', MAX_AHEAD + 1, ev) }])).toEqual([]);
    expect(n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', 2, ev, MAX_ROUNDS + 1) }])).toEqual([]);
    expect(c.counters().votesAccepted).toBe(1);
    n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', MAX_AHEAD, ev) }]);
    n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', 2, ev, MAX_ROUNDS) }]);
    expect(c.counters().votesAccepted).toBe(3);
    // counters() hands out copies.
    c.counters().votesRefused.duplicate = 99;
    c.counters().entriesRefused.malformed = 99;
    c.counters().conflicts.push({ slot: 9, local: '', offered: '', at: 0 });
    expect(c.counters()).toMatchObject({ votesRefused: { duplicate: 2 }, entriesRefused: { malformed: 0 }, conflicts: [] });
  });

  it('a quorum in round MAX_ROUNDS still commits; a node without onCommit commits too', () => {
    const n = quorumNet(backend, 3, { withoutOnCommit: true });
    const c = n.node('node-3');
    const ev = event('last-round');
    c.onProposal(1, ev);
    n.deliver('node-3', [
      { type: 'vote', vote: n.vote('node-1', 1, ev, MAX_ROUNDS) },
      { type: 'vote', vote: n.vote('node-2', 1, ev, MAX_ROUNDS) },
    ]);
    expect(c.log.at(1)?.certificate.round).toBe(MAX_ROUNDS);
  });

  it('takes proposals only for the slots after its log and up to MAX_AHEAD ahead', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const ev = event('e-1');
    n.deliver('node-3', [{ type: 'commit', entry: n.entry(1, event('e-0'), ['node-1', 'node-2']) }]);
    expect(c.onProposal(1, ev)).toEqual([]);
    expect(c.onProposal(MAX_AHEAD + 2, ev)).toEqual([]);
    const out = c.onProposal(MAX_AHEAD + 1, ev);
    expect(ofType(out, 'vote').map((p) => p.vote.slot)).toEqual([MAX_AHEAD + 1]);
    // The proposer's retry: the same proposal again gets the same vote again, and no second one.
    expect(c.onProposal(MAX_AHEAD + 1, ev)).toEqual(out);
    // Another event in a slot already voted in: no vote.
    expect(c.onProposal(MAX_AHEAD + 1, event('e-2'))).toEqual([]);
    expect(c.ownVotes()).toHaveLength(1);
  });

  it('a commit keeps what later slots have gathered: their events and votes still make a quorum', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const later = event('later', 'node-2');
    c.onProposal(2, later);
    n.deliver('node-3', [{ type: 'commit', entry: n.entry(1, event('first'), ['node-1', 'node-2']) }]);
    expect(c.log.lastSlot).toBe(1);
    // node-3's own vote and the event, kept through slot 1's commit, make a quorum with node-1's vote.
    n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', 2, later) }]);
    expect(c.log.at(2)?.event).toEqual(later);
  });

  it('keeps at most one event per member in a slot: a flood cannot be committed', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const evs = ['f-1', 'f-2', 'f-3', 'f-4'].map((id) => event(id, 'node-2'));
    for (const ev of evs) c.onProposal(1, ev);
    // A quorum of genuine votes for the fourth: its event was not kept, so nothing commits.
    n.deliver('node-3', [
      { type: 'vote', vote: n.vote('node-1', 1, evs[3]) },
      { type: 'vote', vote: n.vote('node-2', 1, evs[3]) },
    ]);
    expect(c.log.lastSlot).toBe(0);
    // The third was kept: its quorum commits.
    n.deliver('node-3', [
      { type: 'vote', vote: n.vote('node-1', 1, evs[2], 1) },
      { type: 'vote', vote: n.vote('node-2', 1, evs[2], 1) },
    ]);
    expect(c.log.at(1)?.event).toEqual(evs[2]);
  });
});
