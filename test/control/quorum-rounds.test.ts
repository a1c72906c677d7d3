// QuorumNode past a dead round, adopting certified entries, conflicts, the
// epoch moving under it, and its own votes across a restart
// (docs/control-plane.md §4, §8). In process, for the mutation run.
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { eventHashHex } from '../../src/mesh/control/events.ts';
import { MAX_AHEAD, MAX_ROUNDS } from '../../src/mesh/control/quorum.ts';
import { byHash, event, ofType, quorumNet, START } from '../support/quorum-kit.ts';

let backend: CryptoBackend;
beforeAll(async () => {
  backend = await loadBackend('liboqs');
});

const hexOf = (b: Uint8Array): string => bytesToHex(b);

describe('a dead round', () => {
  it('moves to the next round only when no event can reach a quorum, voting for the lowest hash among the tied', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const [low, mid, high] = byHash([event('d-1', 'node-1'), event('d-2', 'node-2'), event('d-3', 'node-3')]);
    // node-3 votes for `high` (its own view of the slot), then hears the two others, one vote each.
    expect(ofType(c.onProposal(1, high), 'vote')).toHaveLength(1);
    c.onProposal(1, mid);
    c.onProposal(1, low);
    expect(n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', 1, mid) }])).toEqual([]);
    expect(c.roundOf(1)).toBe(0);
    const out = n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-2', 1, low) }]);
    expect(c.roundOf(1)).toBe(1);
    const votes = ofType(out, 'vote');
    expect(votes).toHaveLength(1);
    expect(votes[0].vote).toMatchObject({ slot: 1, round: 1, voter: 'node-3' });
    expect(hexOf(votes[0].vote.eventHash)).toBe(eventHashHex(low));
    expect(c.ownVotes().map((v) => v.round)).toEqual([0, 1]);
    // Round 1 certifies `low` with one more vote; node-3 did not propose it, so it stays quiet.
    expect(n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', 1, low, 1) }])).toEqual([]);
    expect(c.log.at(1)?.event).toEqual(low);
    expect(c.log.at(1)?.certificate.round).toBe(1);
  });

  it('a second dead round moves it on again, and it votes in each new round once', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const [low, mid, high] = byHash([event('t-1', 'node-1'), event('t-2', 'node-2'), event('t-3', 'node-3')]);
    for (const ev of [high, mid, low]) c.onProposal(1, ev);
    n.deliver('node-3', [
      { type: 'vote', vote: n.vote('node-1', 1, mid) },
      { type: 'vote', vote: n.vote('node-2', 1, low) },
    ]);
    // Round 1 (node-3 for low) dies too: node-1 for mid, node-2 for high.
    const out = n.deliver('node-3', [
      { type: 'vote', vote: n.vote('node-1', 1, mid, 1) },
      { type: 'vote', vote: n.vote('node-2', 1, high, 1) },
    ]);
    expect(c.roundOf(1)).toBe(2);
    expect(ofType(out, 'vote').map((v) => [v.vote.round, hexOf(v.vote.eventHash)])).toEqual([[2, eventHashHex(low)]]);
  });

  it('stops at MAX_ROUNDS: a dead last round is not left', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const [a, b, d] = [event('z-1'), event('z-2'), event('z-3')];
    for (const ev of [a, b, d]) c.onProposal(1, ev);
    c.restoreOwnVotes([n.vote('node-3', 1, a, MAX_ROUNDS)]);
    expect(c.roundOf(1)).toBe(MAX_ROUNDS);
    n.deliver('node-3', [
      { type: 'vote', vote: n.vote('node-1', 1, b, MAX_ROUNDS) },
      { type: 'vote', vote: n.vote('node-2', 1, d, MAX_ROUNDS) },
    ]);
    expect(c.roundOf(1)).toBe(MAX_ROUNDS);
    expect(c.ownVotes().map((v) => v.round)).toEqual([0, MAX_ROUNDS]);
  });

  it('favours the event with the most votes over a lower hash', () => {
    const n = quorumNet(backend, 5);
    const e = n.node('node-5');
    const [lowest, second, third] = byHash([event('m-1'), event('m-2'), event('m-3')]);
    for (const ev of [lowest, second, third]) e.onProposal(1, ev);
    // node-5 voted for `lowest` (the first it saw); two votes each for the other two: 1 + 2 + 2 of 5, quorum 3.
    const votes = [n.vote('node-1', 1, third), n.vote('node-2', 1, third), n.vote('node-3', 1, second), n.vote('node-4', 1, second)];
    const out = n.deliver(
      'node-5',
      votes.map((vote) => ({ type: 'vote' as const, vote })),
    );
    const [moved] = ofType(out, 'vote');
    expect(moved.vote.round).toBe(1);
    expect(hexOf(moved.vote.eventHash)).toBe(eventHashHex(second));
  });

  it('a round dead on events it never saw proposed: no vote until a proposal arrives, then for that one', () => {
    const n = quorumNet(backend, 5);
    const e = n.node('node-5');
    const unknown = ['u-1', 'u-2', 'u-3', 'u-4'].map((id) => event(id));
    const out = n.deliver(
      'node-5',
      unknown.map((ev, i) => ({ type: 'vote' as const, vote: n.vote(`node-${i + 1}`, 1, ev) })),
    );
    expect(out).toEqual([]);
    expect(e.roundOf(1)).toBe(1);
    expect(e.ownVotes()).toEqual([]);
    const [first, later] = [event('k-1'), event('k-2')];
    const votes = ofType(e.onProposal(1, first), 'vote');
    expect(votes.map((v) => [v.vote.round, hexOf(v.vote.eventHash)])).toEqual([[1, eventHashHex(first)]]);
    expect(ofType(e.onProposal(1, later), 'vote')).toEqual([]);
  });
});

describe('adopting certified entries', () => {
  it('refuses an unverified entry, holds one from the future, and appends it once the gap closes', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const bad = c.adopt(n.entry(1, event('a-0'), ['node-1']));
    expect(bad).toMatchObject({ result: { ok: false, reason: 'too_few_signers' }, out: [] });
    expect(c.counters().entriesRefused.too_few_signers).toBe(1);
    const third = n.entry(3, event('a-3'), ['node-1', 'node-2']);
    expect(c.adopt(third)).toEqual({ result: { ok: false, reason: 'out_of_order', detail: 'slot 3 waits for slot 1' }, out: [] });
    c.adopt(n.entry(4, event('a-4'), ['node-1', 'node-2']));
    expect(c.adopt(n.entry(MAX_AHEAD + 1, event('far'), ['node-1', 'node-2'])).result).toMatchObject({ reason: 'out_of_order' });
    expect(c.log.lastSlot).toBe(0);
    const first = n.entry(1, event('a-1'), ['node-1', 'node-2']);
    expect(c.adopt(first).result).toEqual({ ok: true, value: first });
    expect(c.log.lastSlot).toBe(1);
    c.adopt(n.entry(2, event('a-2'), ['node-2', 'node-3']));
    expect(n.commits['node-3'].map((e) => e.slot)).toEqual([1, 2, 3, 4]);
    expect(c.counters().appended).toBe(4);
  });

  it('keeps an entry MAX_AHEAD slots ahead, not one more', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const ev = event('x');
    c.adopt(n.entry(MAX_AHEAD, ev, ['node-1', 'node-2']));
    c.adopt(n.entry(MAX_AHEAD + 1, ev, ['node-1', 'node-2']));
    for (let s = 1; s < MAX_AHEAD; s++) c.adopt(n.entry(s, ev, ['node-1', 'node-2']));
    expect(c.log.lastSlot).toBe(MAX_AHEAD);
  });

  it('a second certified event for a committed slot is a safety violation, witnessed (at most 16) and refused', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const committed = n.entry(1, event('c-0'), ['node-1', 'node-2']);
    c.adopt(committed);
    n.clock.advance(7);
    const rival = n.entry(1, event('c-1'), ['node-2', 'node-3']);
    const r = c.adopt(rival);
    const local = hexOf(committed.certificate.eventHash);
    const offered = hexOf(rival.certificate.eventHash);
    expect(r).toEqual({
      result: {
        ok: false,
        reason: 'slot_conflict',
        detail: `slot 1 is committed to ${local.slice(0, 16)}, refused ${offered.slice(0, 16)}`,
      },
      out: [],
    });
    expect(c.counters()).toMatchObject({ safetyViolations: 1, conflicts: [{ slot: 1, local, offered, at: START + 7 }] });
    expect(c.counters().entriesRefused.slot_conflict).toBe(1);
    expect(c.log.at(1)).toBe(committed);
    for (let k = 2; k <= 17; k++) c.adopt(n.entry(1, event(`c-${k}`), ['node-1', 'node-3']));
    expect(c.counters().safetyViolations).toBe(17);
    expect(c.counters().conflicts).toHaveLength(16);
  });

  it('a proposal that lost its slot is proposed again in the next one; in a minority it queues', () => {
    const n = quorumNet(backend, 3);
    const a = n.node('node-1');
    const b = n.node('node-2');
    a.propose('policy', 'mine');
    b.propose('policy', 'lost');
    b.propose('policy', 'in-slot-2');
    n.clock.advance(3);
    const out = b.adopt(n.entry(1, a.proposalList()[0].event, ['node-1', 'node-3'])).out;
    expect(out.map((p) => p.type)).toEqual(['proposal', 'vote']);
    expect(out[0]).toMatchObject({ type: 'proposal', slot: 3, event: { payload: 'lost' } });
    expect(b.proposalList().map((p) => [p.event.payload, p.state, p.slot, p.since])).toEqual([
      ['lost', 'voting', 3, START + 3],
      ['in-slot-2', 'voting', 2, START],
    ]);
    // slot 2 commits node-2's own: it is committed, and a commit of slot 3 by another leaves it so.
    b.adopt(n.entry(2, b.proposalList()[1].event, ['node-1', 'node-3']));
    expect(b.proposalList()[1]).toMatchObject({ state: 'committed', slot: 2 });
    b.adopt(n.entry(3, a.propose('policy', 'takes-3').proposal.event, ['node-1', 'node-3']));
    expect(b.proposalList()[1]).toMatchObject({ state: 'committed', slot: 2 });
    expect(b.proposalList()[0]).toMatchObject({ state: 'voting', slot: 4 });
    n.views['node-2'].partition = 'minority';
    n.clock.advance(3);
    expect(b.adopt(n.entry(4, a.propose('policy', 'again').proposal.event, ['node-1', 'node-3'])).out).toEqual([]);
    expect(b.proposalList()[0]).toMatchObject({ state: 'queued', since: START + 6 });
    expect(b.proposalList()[0].slot).toBeUndefined();
  });

  it('when a commit moves the epoch, old votes are dropped and voting proposals start again', () => {
    const n = quorumNet(backend, 3, {
      onCommit: (id, e) => {
        if (e.event.kind === 'revoke') n.views[id].epoch = 1;
      },
    });
    const b = n.node('node-2');
    b.propose('policy', 'waits-1');
    b.propose('policy', 'waits-2');
    // Slot 3's entry of epoch 0 waits; slot 1 then moves the epoch, so it no longer verifies.
    b.adopt(n.entry(3, event('old-epoch'), ['node-1', 'node-3']));
    const out = b.adopt(n.entry(1, event('revoke-3'), ['node-1', 'node-3'])).out;
    expect(b.counters().entriesRefused.wrong_epoch).toBe(0);
    expect(ofType(out, 'proposal').map((p) => [p.slot, p.event.payload])).toEqual([
      [2, 'waits-1'],
      [3, 'waits-2'],
    ]);
    expect(b.ownVotes().map((v) => [v.slot, v.epoch])).toEqual([
      [2, 1],
      [3, 1],
    ]);
    b.adopt(n.entry(2, event('p-2', 'node-1', 'x'), ['node-1', 'node-3'], 0, 1));
    expect(b.log.lastSlot).toBe(2);
    expect(b.counters().entriesRefused.wrong_epoch).toBe(1);
  });
});

describe('what a commit leaves behind', () => {
  it('an epoch change keeps committed proposals committed and re-votes a known proposal in the new epoch', () => {
    const n = quorumNet(backend, 3, {
      onCommit: (id, e) => {
        if (e.event.kind === 'revoke') n.views[id].epoch = 1;
      },
    });
    const b = n.node('node-2');
    b.propose('policy', 'mine');
    b.adopt(n.entry(1, b.proposalList()[0].event, ['node-1', 'node-3']));
    const x = event('x-5', 'node-1');
    expect(ofType(b.onProposal(5, x), 'vote')).toHaveLength(1);
    b.adopt(n.entry(2, event('revoke-3'), ['node-1', 'node-3']));
    expect(b.proposalList()[0]).toMatchObject({ state: 'committed', slot: 1 });
    // Its epoch-0 vote in slot 5 is gone: the proposal seen again gets one new vote, of epoch 1.
    const again = b.onProposal(5, x);
    expect(again.map((p) => (p.type === 'vote' ? [p.vote.slot, p.vote.epoch] : p.type))).toEqual([[5, 1]]);
  });

  it('ballots of slots 10 and above survive the commit of slot 1 (the slot is read from the whole key)', () => {
    const n = quorumNet(backend, 3);
    const c = n.node('node-3');
    const ev = event('ten', 'node-2');
    c.onProposal(10, ev);
    c.adopt(n.entry(1, event('one'), ['node-1', 'node-2']));
    n.deliver('node-3', [{ type: 'vote', vote: n.vote('node-1', 10, ev) }]);
    expect(c.counters().formed).toBe(1);
  });
});

describe("a node's own votes across a restart", () => {
  it('remembers its own votes of the current epoch in open slots, and never votes twice in their rounds', () => {
    const n = quorumNet(backend, 3);
    const before = n.node('node-1');
    before.adopt(n.entry(1, event('r-0'), ['node-2', 'node-3']));
    const ev = event('r-1');
    const kept = [n.vote('node-1', 2, ev), n.vote('node-1', 3, ev, 1), n.vote('node-1', 3, ev, 2)];
    const ignored = [
      n.vote('node-1', 1, ev), // committed slot
      n.vote('node-2', 4, ev), // another voter
      n.vote('node-1', 5, ev, 0, 1), // another epoch
      n.vote('node-1', 2, event('r-2')), // a second vote in slot 2 round 0
    ];
    before.restoreOwnVotes([...kept, ...ignored]);
    expect(before.ownVotes()).toEqual(kept);
    expect(before.roundOf(3)).toBe(2);
    expect(before.roundOf(2)).toBe(0);
    // At its restored round 2 in slot 3 (no ballot of round 1 held), a proposal gets no second vote.
    expect(before.onProposal(3, ev)).toEqual([]);
    // Its restored votes count in the ballots: the proposal gets no second vote, one more vote commits it.
    expect(before.onProposal(2, ev)).toEqual([]);
    n.deliver('node-1', [{ type: 'vote', vote: n.vote('node-2', 2, ev) }]);
    expect(before.log.lastSlot).toBe(2);
    // Its next proposal skips slot 3, where it has voted.
    expect(before.propose('policy', 'next').out[0]).toMatchObject({ slot: 4 });
  });
});
