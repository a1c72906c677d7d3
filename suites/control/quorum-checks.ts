// Quorum checks: unverified, duplicate and non-member votes never count
// (docs/control-plane.md §4).
import type { Verdict } from '../../src/check/evidence.ts';
import { controlSigner } from '../../src/mesh/control/members.ts';
import type { ControlProtocol } from '../../src/mesh/control/seams.ts';
import { checkForgery } from '../../chaos/checkers/index.ts';
import { craftRelay, entryFrom, hostileEvent, voteAs } from './attacks.ts';
import { cluster, HIGH_SEQ, inject, judge, safety, type ControlCheckEnv } from './scenario.ts';

/**
 * A Byzantine member (node-2) relays votes that claim the other members but
 * carry its own signatures, and a certificate made of them; honest votes
 * follow. Nothing unverified may count.
 */
export function checkUnverifiedVotes(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env, Math.max(env.size, 5));
  const byz = c.signers.get('node-2')!;
  const id = c.propose('node-1', 'policy', 'under-forged-votes');
  const p = c
    .node('node-1')
    .logView()
    .proposals.find((x) => x.proposalId === id)!;
  const event = { kind: 'policy' as const, proposer: 'node-1', proposalId: id, payload: 'under-forged-votes' };
  const others = c.ids.filter((x) => x !== 'node-1' && x !== 'node-2');
  const forged = others.map((v) => voteAs(byz, v, p.slot!, event));
  let seq = HIGH_SEQ;
  for (const vote of forged)
    inject(
      c,
      'node-1',
      'node-2',
      craftRelay({ origin: 'node-2', signer: byz, seq: seq++, timestamp: c.clock.now(), payload: { type: 'vote', vote } }),
      {
        kind: 'unverified',
        layer: 'vote',
        claimedOrigin: vote.voter,
        expect: ['bad_signature'],
      },
    );
  const fake = hostileEvent('forged-certificate');
  const entry = entryFrom(p.slot! + 1, fake, [
    voteAs(byz, 'node-2', p.slot! + 1, fake),
    ...others.map((v) => voteAs(byz, v, p.slot! + 1, fake)),
  ]);
  inject(
    c,
    'node-3',
    'node-2',
    craftRelay({ origin: 'node-2', signer: byz, seq: seq++, timestamp: c.clock.now(), payload: { type: 'commit', entry } }),
    {
      kind: 'unverified',
      layer: 'entry',
      claimedOrigin: 'node-3',
      expect: ['bad_signature'],
      marker: 'forged-certificate',
    },
  );
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  return judge(c, [safety(c), checkForgery(c.history)]);
}

/**
 * node-2's genuine vote delivered three times (in fresh gossip, so only the
 * vote tally can refuse it), a certificate listing one signer thrice, and
 * two proposals racing for one slot across a bridge: one vote per member per slot.
 */
export function checkDuplicateVotes(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env, Math.max(env.size, 5));
  const n2 = c.signers.get('node-2')!;
  const id = c.propose('node-1', 'policy', 'under-duplicate-votes');
  const slot = c
    .node('node-1')
    .logView()
    .proposals.find((x) => x.proposalId === id)!.slot!;
  const event = { kind: 'policy' as const, proposer: 'node-1', proposalId: id, payload: 'under-duplicate-votes' };
  const vote = voteAs(n2, 'node-2', slot, event);
  let seq = HIGH_SEQ;
  for (let k = 0; k < 3; k++)
    inject(
      c,
      'node-1',
      'node-2',
      craftRelay({ origin: 'node-2', signer: n2, seq: seq++, timestamp: c.clock.now(), payload: { type: 'vote', vote } }),
      {
        kind: 'replayed',
        layer: 'vote',
        claimedOrigin: 'node-2',
        expect: ['duplicate'],
      },
    );
  c.history.injections.shift(); // the first copy is a genuine, countable vote
  const fake = hostileEvent('thrice-signed');
  const thrice = entryFrom(
    slot,
    fake,
    [0, 1, 2].map(() => voteAs(n2, 'node-2', slot, fake)),
  );
  inject(
    c,
    'node-4',
    'node-2',
    craftRelay({ origin: 'node-2', signer: n2, seq: seq++, timestamp: c.clock.now(), payload: { type: 'commit', entry: thrice } }),
    {
      kind: 'replayed',
      layer: 'entry',
      claimedOrigin: 'node-2',
      expect: ['duplicate_signer'],
      marker: 'thrice-signed',
    },
  );
  c.run(5 * c.heartbeatMs);
  // A bridge: one member hears both sides, which cannot hear each other; with it each side is exactly
  // a quorum (odd sizes), and two proposers race for the next slot. Only the bridge voting twice can
  // give both a majority.
  const q = Math.floor(c.ids.length / 2) + 1;
  const last = c.ids[c.ids.length - 1];
  c.partition([c.ids.slice(0, q - 1), c.ids.slice(q)]);
  c.run(4 * c.heartbeatMs);
  c.propose('node-1', 'policy', 'race-a');
  c.propose(last, 'policy', 'race-b');
  c.run(10 * c.heartbeatMs);
  c.snapshot();
  return judge(c, [safety(c), checkForgery(c.history)]);
}

/** Votes of a CA-certified node outside the member set, relayed by a member, and a certificate containing one. */
export function checkNonMemberVotes(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env, Math.max(env.size, 5));
  const outsider = controlSigner(c.pki.identities.get('outsider')!, env.backend);
  const byz = c.signers.get('node-2')!;
  // The outsider speaks first (refused: non_member), which also shows node-1 its CA-valid certificate.
  inject(
    c,
    'node-1',
    'outsider',
    craftRelay({
      origin: 'outsider',
      signer: outsider,
      seq: 1n,
      timestamp: c.clock.now(),
      payload: { type: 'proposal', slot: 1, event: hostileEvent('outsider-proposal', 'outsider') },
    }),
    { kind: 'non-member', layer: 'gossip', claimedOrigin: 'outsider', expect: ['non_member'], marker: 'outsider-proposal' },
  );
  inject(
    c,
    'node-3',
    'outsider',
    craftRelay({
      origin: 'outsider',
      signer: outsider,
      seq: 1n,
      timestamp: c.clock.now(),
      payload: { type: 'proposal', slot: 1, event: hostileEvent('outsider-proposal', 'outsider') },
    }),
    { kind: 'non-member', layer: 'gossip', claimedOrigin: 'outsider', expect: ['non_member'] },
  );
  const id = c.propose('node-1', 'policy', 'under-outsider-votes');
  const slot = c
    .node('node-1')
    .logView()
    .proposals.find((x) => x.proposalId === id)!.slot!;
  const event = { kind: 'policy' as const, proposer: 'node-1', proposalId: id, payload: 'under-outsider-votes' };
  let seq = HIGH_SEQ;
  inject(
    c,
    'node-1',
    'node-2',
    craftRelay({
      origin: 'node-2',
      signer: byz,
      seq: seq++,
      timestamp: c.clock.now(),
      payload: { type: 'vote', vote: voteAs(outsider, 'outsider', slot, event) },
    }),
    { kind: 'non-member', layer: 'vote', claimedOrigin: 'outsider', expect: ['non_member'] },
  );
  const fake = hostileEvent('outsider-certified');
  const entry = entryFrom(slot + 1, fake, [
    voteAs(byz, 'node-2', slot + 1, fake),
    voteAs(outsider, 'outsider', slot + 1, fake),
    voteAs(c.signers.get('node-3')!, 'node-3', slot + 1, fake),
  ]);
  inject(
    c,
    'node-3',
    'node-2',
    craftRelay({ origin: 'node-2', signer: byz, seq: seq++, timestamp: c.clock.now(), payload: { type: 'commit', entry } }),
    {
      kind: 'non-member',
      layer: 'entry',
      claimedOrigin: 'outsider',
      expect: ['non_member'],
      marker: 'outsider-certified',
    },
  );
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  return judge(c, [safety(c), checkForgery(c.history)]);
}
