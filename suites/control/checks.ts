// The control checks (docs/control-plane.md §7): each runs a scenario on
// simulated members (cluster.ts) running the protocol under test, collects
// the History the harness would collect from real nodes, and judges it with
// the chaos/checkers. A check passes on valid, fails on invalid or unknown.
import type { Verdict } from '../../src/check/evidence.ts';
import { fail, pass } from '../../src/check/evidence.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { controlSigner } from '../../src/mesh/control/members.ts';
import type { ControlProtocol } from '../../src/mesh/control/seams.ts';
import {
  certificateVerifier,
  checkConvergence,
  checkForgery,
  checkSafety,
  type CheckerResult,
  type Injection,
} from '../../chaos/checkers/index.ts';
import { craftRelay, entryFrom, hostileEvent, voteAs } from './attacks.ts';
import { Cluster } from './cluster.ts';

export interface ControlCheckEnv {
  backend: CryptoBackend;
  seed: number;
  /** Simulated members (the real-process versions run 3 in pr, 5 and 7 in release). */
  size: number;
}

const HIGH_SEQ = 1n << 40n;

function judge(c: Cluster, results: CheckerResult[], extra: Record<string, unknown> = {}): Verdict {
  const evidence = {
    seed: c.opts.seed,
    nodes: c.ids.length,
    protocol: c.opts.protocol?.name ?? 'reference',
    checkers: results.map((r) => ({
      checker: r.checker,
      verdict: r.verdict,
      reason: r.reason,
      witnesses: r.witnesses.slice(0, 5),
      stats: r.stats,
    })),
    ...extra,
  };
  const bad = results.find((r) => r.verdict === 'invalid') ?? results.find((r) => r.verdict === 'unknown');
  if (bad) return fail(`${bad.checker}: ${bad.verdict}: ${bad.reason}`, evidence);
  return pass(evidence);
}

function cluster(protocol: ControlProtocol, env: ControlCheckEnv, size = env.size): Cluster {
  const c = new Cluster({ size, backend: env.backend, seed: env.seed, protocol, recordWire: true });
  c.run(3 * c.heartbeatMs);
  c.snapshot();
  return c;
}

const safety = (c: Cluster, reported: 'invalid' | 'ignore' = 'invalid') =>
  checkSafety(c.history, { verify: certificateVerifier(c.pki.trust, c.history.certificates!, c.clock), reportedConflicts: reported });

function inject(c: Cluster, target: string, via: string, bytes: Uint8Array, i: Omit<Injection, 'at' | 'target'>): void {
  c.history.injections.push({ ...i, at: c.clock.now(), target });
  c.note('inject', `${i.kind} ${i.layer} message claiming ${i.claimedOrigin} to ${target}`);
  c.inject(target, via, bytes);
}

/** Gossip claiming node-1 with a wrong key, another CA, or another member's certificate; node-1 then speaks honestly. */
export function checkForgedOrigin(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env);
  const signer = (id: string) => c.signers.get(id)!;
  const outsider = controlSigner(c.pki.identities.get('outsider')!, env.backend);
  const rogue = controlSigner(c.pki.rogue, env.backend);
  const node1Cert = c.pki.identities.get('node-1')!.certificate.encoded;
  const forgeries = [
    { signer: outsider, certificate: node1Cert, expect: 'bad_signature' as const },
    { signer: rogue, certificate: rogue.certificate, expect: 'unknown_ca' as const },
    { signer: signer('node-3'), certificate: signer('node-3').certificate, expect: 'origin_mismatch' as const },
  ];
  for (const [i, f] of forgeries.entries()) {
    const marker = `forged-${i + 1}`;
    const payload = { type: 'proposal' as const, slot: 1, event: hostileEvent(marker) };
    const bytes = craftRelay({
      origin: 'node-1',
      signer: f.signer,
      certificate: f.certificate,
      seq: HIGH_SEQ + BigInt(i),
      timestamp: c.clock.now(),
      payload,
    });
    inject(c, 'node-2', 'mallory', bytes, {
      kind: 'forged',
      layer: 'gossip',
      claimedOrigin: 'node-1',
      expect: [f.expect],
      marker,
      honestAfter: i === 0 ? 1 : 0,
    });
  }
  const honest = c.propose('node-1', 'policy', 'honest-after-forgery');
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  return judge(c, [checkForgery(c.history), safety(c)], { honestProposal: honest });
}

/** An honest proposal and vote of node-1, replayed to node-2 byte for byte. */
export function checkGossipReplay(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env);
  c.propose('node-1', 'policy', 'replayed');
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  const captured = c.wire.filter((w) => w.from === 'node-1' && w.to === 'node-2' && (w.type === 'proposal' || w.type === 'vote'));
  for (const w of captured)
    for (let k = 0; k < 3; k++)
      inject(c, 'node-2', 'mallory', w.bytes, {
        kind: 'replayed',
        layer: 'gossip',
        claimedOrigin: 'node-1',
        expect: ['duplicate', 'stale_sequence'],
      });
  c.propose('node-1', 'policy', 'after-replay');
  c.history.injections[c.history.injections.length - 1].honestAfter = 1;
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  return judge(c, [checkForgery(c.history), safety(c)], { replayed: captured.length });
}

/** Gossip genuinely signed by node-1 but timestamped far in the past and future; node-1 then speaks honestly. */
export function checkGossipStale(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env);
  const skew = 5_000;
  for (const [i, offset] of [-20 * skew, 20 * skew].entries()) {
    const marker = `stale-${i + 1}`;
    const bytes = craftRelay({
      origin: 'node-1',
      signer: c.signers.get('node-1')!,
      seq: HIGH_SEQ + BigInt(i),
      timestamp: c.clock.now() + offset,
      payload: { type: 'proposal', slot: 1, event: hostileEvent(marker) },
    });
    inject(c, 'node-2', 'mallory', bytes, {
      kind: 'stale',
      layer: 'gossip',
      claimedOrigin: 'node-1',
      expect: ['stale_timestamp'],
      marker,
      honestAfter: i === 0 ? 1 : 0,
    });
  }
  c.propose('node-1', 'policy', 'fresh');
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  return judge(c, [checkForgery(c.history), safety(c)]);
}

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

const minorityOf = (c: Cluster) => c.ids.slice(0, Math.floor((c.ids.length - 1) / 2));

/** Splits the members into a minority and a majority and waits for every node to see its side (at most 3 intervals). */
function split(c: Cluster): { minority: string[]; majority: string[]; detectionMs: number | undefined } {
  const minority = minorityOf(c);
  const majority = c.ids.filter((x) => !minority.includes(x));
  c.partition([minority, majority]);
  const detectionMs = c.runUntil(
    () =>
      minority.every((x) => c.node(x).status().membership.partition === 'minority') &&
      majority.every((x) => c.node(x).status().membership.reachable.length === majority.length),
    10 * c.heartbeatMs,
  );
  return { minority, majority, detectionMs };
}

function detectionProblem(c: Cluster, detectionMs: number | undefined): string | undefined {
  if (detectionMs === undefined) return 'the partition was never detected on every node';
  if (detectionMs > 3 * c.heartbeatMs)
    return `partition detected after ${detectionMs} ms, over 3 heartbeat intervals (${3 * c.heartbeatMs} ms)`;
  return undefined;
}

/** Proposals on both sides of a partition: the minority queues and commits nothing, the majority commits. */
export function checkMinorityCommits(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env, Math.max(env.size, 3));
  const { minority, majority, detectionMs } = split(c);
  const queued = c.propose(minority[0], 'policy', 'minority-side');
  const committed = c.propose(majority[0], 'policy', 'majority-side');
  c.run(6 * c.heartbeatMs);
  c.snapshot();
  const view = c.node(minority[0]).logView();
  const problems = [
    detectionProblem(c, detectionMs),
    view.proposals.find((p) => p.proposalId === queued)?.state === 'queued'
      ? undefined
      : `${minority[0]} did not queue ${queued} in the minority`,
    minority.some((x) => c.node(x).logView().entries.length > 0) ? `the minority (${minority.join(', ')}) committed` : undefined,
    majority.every((x) =>
      c
        .node(x)
        .logView()
        .entries.some((e) => e.proposalId === committed),
    )
      ? undefined
      : `the majority did not commit ${committed}`,
  ].filter(Boolean);
  const v = judge(c, [safety(c)], { detectionMs, minority, majority });
  if (v.status === 'fail' || !problems.length) return v;
  return fail(problems[0]!, v.evidence);
}

/**
 * Split, propose on both sides, heal: every node converges within 2 s to one
 * log holding both proposals. Then a certificate made by a majority of keys
 * for a committed slot (a conflict) is offered in a merge: it is refused,
 * reported, and the logs stay identical.
 */
export function checkHealConverges(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env, Math.max(env.size, 3));
  const { minority, majority, detectionMs } = split(c);
  const a = c.propose(minority[0], 'policy', 'minority-side');
  const b = c.propose(majority[0], 'policy', 'majority-side');
  c.run(5 * c.heartbeatMs);
  c.heal();
  const convergence = c.runUntil(() => {
    const logs = c.ids.map((x) =>
      JSON.stringify(
        c
          .node(x)
          .logView()
          .entries.map((e) => e.eventHash),
      ),
    );
    return new Set(logs).size === 1 && c.node(c.ids[0]).logView().entries.length >= 2;
  }, 10_000);
  c.snapshot();
  const healed = checkConvergence(c.history, { boundMs: 2_000, mustContain: [a, b] });
  // The conflict: slot 1 certified again, for another event, by a majority of the members' keys.
  const target = minority[0];
  const fake = hostileEvent('conflicting-slot-1');
  const signers = majority.slice(0, Math.floor(c.ids.length / 2) + 1).map((x) => c.signers.get(x)!);
  const entry = entryFrom(
    1,
    fake,
    signers.map((s) => voteAs(s, s.nodeId, 1, fake)),
  );
  const relay = craftRelay({
    origin: majority[0],
    signer: c.signers.get(majority[0])!,
    seq: HIGH_SEQ,
    timestamp: c.clock.now(),
    payload: { type: 'merge-response', to: target, entries: [entry] },
  });
  c.note('inject', `conflicting certificate for slot 1 offered to ${target}`);
  c.inject(target, majority[0], relay);
  c.run(3 * c.heartbeatMs);
  c.snapshot();
  const after = checkConvergence(c.history, { boundMs: 2_000 + 10 * c.heartbeatMs, mustContain: [a, b] });
  const reported = c.node(target).status().quorum.safetyViolations;
  const results = [healed, after, safety(c, 'ignore')];
  const v = judge(c, results, { detectionMs, convergenceMs: convergence, reportedConflicts: reported });
  if (v.status === 'fail') return v;
  if (reported < 1) return fail(`${target} adopted or ignored a conflicting certificate for slot 1 without reporting it`, v.evidence);
  const d = detectionProblem(c, detectionMs);
  return d ? fail(d, v.evidence) : v;
}
