// Quorum checks: unverified, duplicate and non-member votes never count
// (docs/control-plane.md §4).
import type { Verdict } from '../../src/check/evidence.ts';
import type { CriticalEvent } from '../../src/mesh/control/events.ts';
import { controlSigner, type ControlSigner } from '../../src/mesh/control/members.ts';
import type { ControlPayload } from '../../src/mesh/control/payloads.ts';
import type { ControlProtocol } from '../../src/mesh/control/seams.ts';
import { checkForgery } from '../../chaos/checkers/index.ts';
import { craftRelay, entryFrom, hostileEvent, voteAs } from './attacks.ts';
import type { Cluster } from './cluster.ts';
import { cluster, HIGH_SEQ, inject, judge, safety, type ControlCheckEnv } from './scenario.ts';

/** node-1's honest proposal under attack: the slot it took and the event honest votes are for. */
interface Proposed {
  slot: number;
  event: CriticalEvent;
}

/** What every quorum check starts from and ends with. */
interface QuorumFixture {
  /** A settled cluster of at least five members. */
  c: Cluster;
  /** node-1 proposes a policy event carrying `payload`. */
  propose(payload: string): Proposed;
  /** Gossip from `origin`, signed by `signer`, numbered above anything honest (HIGH_SEQ, then up) unless `seq` is given. */
  relay(origin: string, signer: ControlSigner, payload: ControlPayload, seq?: bigint): Uint8Array;
  /** Runs five heartbeats and judges safety and that no forgery took effect. */
  verdict(): Verdict;
}

function quorumFixture(protocol: ControlProtocol, env: ControlCheckEnv): QuorumFixture {
  const c = cluster(protocol, env, Math.max(env.size, 5));
  let next = HIGH_SEQ;
  return {
    c,
    propose(payload) {
      const proposalId = c.propose('node-1', 'policy', payload);
      const p = c
        .node('node-1')
        .logView()
        .proposals.find((x) => x.proposalId === proposalId)!;
      return { slot: p.slot!, event: { kind: 'policy', proposer: 'node-1', proposalId, payload } };
    },
    relay: (origin, signer, payload, seq) => craftRelay({ origin, signer, seq: seq ?? next++, timestamp: c.clock.now(), payload }),
    verdict() {
      c.run(5 * c.heartbeatMs);
      c.snapshot();
      return judge(c, [safety(c), checkForgery(c.history)]);
    },
  };
}

/**
 * A Byzantine member (node-2) relays votes that claim the other members but
 * carry its own signatures, and a certificate made of them; honest votes
 * follow. Nothing unverified may count.
 */
export function checkUnverifiedVotes(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const { c, propose, relay, verdict } = quorumFixture(protocol, env);
  const byz = c.signers.get('node-2')!;
  const { slot, event } = propose('under-forged-votes');
  const others = c.ids.filter((x) => x !== 'node-1' && x !== 'node-2');
  for (const vote of others.map((v) => voteAs(byz, v, slot, event)))
    inject(c, 'node-1', 'node-2', relay('node-2', byz, { type: 'vote', vote }), {
      kind: 'unverified',
      layer: 'vote',
      claimedOrigin: vote.voter,
      expect: ['bad_signature'],
    });
  const fake = hostileEvent('forged-certificate');
  const entry = entryFrom(slot + 1, fake, [voteAs(byz, 'node-2', slot + 1, fake), ...others.map((v) => voteAs(byz, v, slot + 1, fake))]);
  inject(c, 'node-3', 'node-2', relay('node-2', byz, { type: 'commit', entry }), {
    kind: 'unverified',
    layer: 'entry',
    claimedOrigin: 'node-3',
    expect: ['bad_signature'],
    marker: 'forged-certificate',
  });
  return verdict();
}

/**
 * node-2's genuine vote delivered three times (in fresh gossip, so only the
 * vote tally can refuse it), a certificate listing one signer thrice, and
 * two proposals racing for one slot across a bridge: one vote per member per slot.
 */
export function checkDuplicateVotes(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const { c, propose, relay, verdict } = quorumFixture(protocol, env);
  const n2 = c.signers.get('node-2')!;
  const { slot, event } = propose('under-duplicate-votes');
  const vote = voteAs(n2, 'node-2', slot, event);
  for (let k = 0; k < 3; k++)
    inject(c, 'node-1', 'node-2', relay('node-2', n2, { type: 'vote', vote }), {
      kind: 'replayed',
      layer: 'vote',
      claimedOrigin: 'node-2',
      expect: ['duplicate'],
    });
  c.history.injections.shift(); // the first copy is a genuine, countable vote
  const fake = hostileEvent('thrice-signed');
  const thrice = entryFrom(
    slot,
    fake,
    [0, 1, 2].map(() => voteAs(n2, 'node-2', slot, fake)),
  );
  inject(c, 'node-4', 'node-2', relay('node-2', n2, { type: 'commit', entry: thrice }), {
    kind: 'replayed',
    layer: 'entry',
    claimedOrigin: 'node-2',
    expect: ['duplicate_signer'],
    marker: 'thrice-signed',
  });
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
  c.run(5 * c.heartbeatMs);
  return verdict();
}

/** Votes of a CA-certified node outside the member set, relayed by a member, and a certificate containing one. */
export function checkNonMemberVotes(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const { c, propose, relay, verdict } = quorumFixture(protocol, env);
  const outsider = controlSigner(c.pki.identities.get('outsider')!, env.backend);
  const byz = c.signers.get('node-2')!;
  // The outsider speaks first (refused: non_member), which also shows node-1 its CA-valid certificate.
  const outsiderProposal = () =>
    relay('outsider', outsider, { type: 'proposal', slot: 1, event: hostileEvent('outsider-proposal', 'outsider') }, 1n);
  inject(c, 'node-1', 'outsider', outsiderProposal(), {
    kind: 'non-member',
    layer: 'gossip',
    claimedOrigin: 'outsider',
    expect: ['non_member'],
    marker: 'outsider-proposal',
  });
  inject(c, 'node-3', 'outsider', outsiderProposal(), {
    kind: 'non-member',
    layer: 'gossip',
    claimedOrigin: 'outsider',
    expect: ['non_member'],
  });
  const { slot, event } = propose('under-outsider-votes');
  inject(c, 'node-1', 'node-2', relay('node-2', byz, { type: 'vote', vote: voteAs(outsider, 'outsider', slot, event) }), {
    kind: 'non-member',
    layer: 'vote',
    claimedOrigin: 'outsider',
    expect: ['non_member'],
  });
  const fake = hostileEvent('outsider-certified');
  const entry = entryFrom(slot + 1, fake, [
    voteAs(byz, 'node-2', slot + 1, fake),
    voteAs(outsider, 'outsider', slot + 1, fake),
    voteAs(c.signers.get('node-3')!, 'node-3', slot + 1, fake),
  ]);
  inject(c, 'node-3', 'node-2', relay('node-2', byz, { type: 'commit', entry }), {
    kind: 'non-member',
    layer: 'entry',
    claimedOrigin: 'outsider',
    expect: ['non_member'],
    marker: 'outsider-certified',
  });
  return verdict();
}
