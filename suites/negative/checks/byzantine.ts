// Forgery and Byzantine votes on the wire against real node processes
// (docs/mesh.md §10.5): the attacker is a member of the mesh (it holds
// node-3's identity, suites/negative/byzantine.ts) and sends its crafted
// CONTROL relays to node-1 inside its own authenticated channel. For each
// attack node-1 must count the refusal under the expected reason in /status
// and in mesh_control_refused_total, and commit nothing hostile.
import { fail, pass, type Verdict } from '../../../src/check/evidence.ts';
import type { RefusalReason } from '../../../src/mesh/control/members.ts';
import { nodePaths, readCertificate } from '../../../src/mesh/node/identity-files.ts';
import type { NodeStatus } from '../../../src/mesh/node/status.ts';
import { craftRelay, entryFrom, hostileEvent, voteAs } from '../../control/attacks.ts';
import { ByzantineMesh } from '../byzantine.ts';
import { negativeNodeCommand } from '../node-command.ts';
import type { NegativeCheck } from '../clause.ts';
import type { Subject } from '../scenario.ts';

const MEMBERS = ['node-1', 'node-2', 'node-3'];
const VICTIM = 'node-1';
/** Above any sequence number an honest node reaches in a check (its incarnation sits at bit 32). */
const HIGH_SEQ = 1n << 40n;
/** How long node-1 has to count a refusal (it takes one record and one scrape; a mutant waits it out). */
const SETTLE_MS = 3000;
/** How long an honest proposal has to commit on node-1. */
const COMMIT_MS = 5000;

type Layer = 'gossip' | 'vote' | 'entry';

interface Attack {
  name: string;
  layer: Layer;
  reason: RefusalReason;
  /** Refusals it must add to that counter. */
  count: number;
  send(m: ByzantineMesh, slot: number): void;
}

function counter(s: NodeStatus, layer: Layer, reason: RefusalReason): number {
  const c = s.control;
  if (layer === 'gossip') return c.gossip.dropped[reason];
  return layer === 'vote' ? c.quorum.votesRefused[reason] : c.quorum.entriesRefused[reason];
}

interface AttackResult {
  attack: string;
  layer: Layer;
  reason: RefusalReason;
  counted: number;
  metric: number;
  expected: number;
}

/** Sends one attack and waits until node-1 counts it, in /status and /metrics alike. */
async function runAttack(m: ByzantineMesh, a: Attack, slot: number): Promise<AttackResult> {
  const before = counter(await m.status(VICTIM), a.layer, a.reason);
  a.send(m, slot);
  let counted = 0;
  await m.waitUntil(async () => {
    counted = counter(await m.status(VICTIM), a.layer, a.reason) - before;
    return counted >= a.count;
  }, SETTLE_MS);
  const metric = await m.refusedMetric(VICTIM, a.layer, a.reason);
  return { attack: a.name, layer: a.layer, reason: a.reason, counted, metric, expected: a.count };
}

/** The next slot node-1 would fill: where hostile votes and entries aim. */
async function nextSlot(m: ByzantineMesh): Promise<number> {
  const log = await m.log(VICTIM);
  return Math.max(0, ...log.entries.map((e) => e.slot)) + 1;
}

/** Every attack counted exactly, the metric agreeing with /status, and no hostile event committed. */
async function judgeAttacks(
  m: ByzantineMesh,
  results: AttackResult[],
  markers: string[],
  extra: Record<string, unknown>,
): Promise<Verdict> {
  const status = await m.status(VICTIM);
  const log = await m.log(VICTIM);
  const hostile = log.entries.filter((e) => markers.some((k) => JSON.stringify(e).includes(k)));
  const evidence = { victim: VICTIM, results, committed: log.entries.length, ...extra };
  for (const r of results) {
    if (r.counted !== r.expected)
      return fail(`${r.attack}: ${VICTIM} counted ${r.counted} ${r.layer} refusal(s) as ${r.reason}, expected ${r.expected}`, evidence);
    const total = counter(status, r.layer, r.reason);
    if (r.metric !== total)
      return fail(
        `${r.attack}: mesh_control_refused_total{layer="${r.layer}",reason="${r.reason}"} is ${r.metric}, /status says ${total}`,
        evidence,
      );
  }
  if (hostile.length > 0) return fail(`${VICTIM} committed a hostile event: slot ${hostile[0].slot}`, evidence);
  return pass(evidence);
}

/**
 * The node ports are picked free and bound by the nodes a moment later; an
 * outgoing connection of the machine can take one in between (EADDRINUSE,
 * exit 2). One more try with fresh ports; the first failure is in the evidence.
 */
async function startMesh(s: Subject): Promise<{ m: ByzantineMesh; retried?: string }> {
  const o = { members: MEMBERS, issuer: s.backend, command: negativeNodeCommand(s) };
  try {
    return { m: await ByzantineMesh.start(o) };
  } catch (e) {
    const first = (e as Error).message;
    if (!/exited with code 2/.test(first)) throw e;
    return { m: await ByzantineMesh.start(o), retried: first };
  }
}

async function withMesh(s: Subject, run: (m: ByzantineMesh) => Promise<Verdict>): Promise<Verdict> {
  const { m, retried } = await startMesh(s);
  try {
    const v = await run(m);
    return retried ? { ...v, evidence: { ...v.evidence, startRetried: retried } } : v;
  } finally {
    await m.stop();
  }
}

/** §10.5.1: gossip claiming node-2 (signed by the attacker, or under node-2's certificate with a bad signature), and a vote forged for node-2. */
async function checkForgery(s: Subject): Promise<Verdict> {
  return withMesh(s, async (m) => {
    const node2Cert = readCertificate(nodePaths(m.dir, 'node-2').cert).encoded;
    let seq = HIGH_SEQ;
    const proposal = (marker: string) => ({ type: 'proposal' as const, slot: 1, event: hostileEvent(marker, 'node-2') });
    const attacks: Attack[] = [
      {
        name: 'impersonated origin (node-2 claimed, the attacker signs with its own certificate)',
        layer: 'gossip',
        reason: 'origin_mismatch',
        count: 1,
        send: (x) =>
          x.send(
            VICTIM,
            craftRelay({ origin: 'node-2', signer: x.signer, seq: seq++, timestamp: Date.now(), payload: proposal('impersonated') }),
          ),
      },
      {
        name: "invalid signature (node-2's certificate, the attacker's signature)",
        layer: 'gossip',
        reason: 'bad_signature',
        count: 1,
        send: (x) =>
          x.send(
            VICTIM,
            craftRelay({
              origin: 'node-2',
              signer: x.signer,
              certificate: node2Cert,
              seq: seq++,
              timestamp: Date.now(),
              payload: proposal('bad-signature'),
            }),
          ),
      },
      {
        name: "a vote claiming node-2 signed by the attacker, in the attacker's own valid gossip",
        layer: 'vote',
        reason: 'bad_signature',
        count: 1,
        send: (x, slot) =>
          x.send(
            VICTIM,
            craftRelay({
              origin: x.attackerId,
              signer: x.signer,
              seq: seq++,
              timestamp: Date.now(),
              payload: { type: 'vote', vote: voteAs(x.signer, 'node-2', slot, hostileEvent('forged-vote', 'node-2')) },
            }),
          ),
      },
    ];
    const slot = await nextSlot(m);
    const results: AttackResult[] = [];
    for (const a of attacks) results.push(await runAttack(m, a, slot));
    // The forgeries claimed node-2: its own voice must still be heard.
    const honest = await m.propose('node-2', 'policy', 'honest-after-forgery');
    const committedMs = await m.waitUntil(async () => (await m.log(VICTIM)).entries.some((e) => e.proposalId === honest), COMMIT_MS);
    const v = await judgeAttacks(m, results, ['impersonated', 'bad-signature', 'forged-vote'], { honest, committedMs, startup: m.startup });
    if (v.status === 'pass' && committedMs === undefined)
      return fail(`node-2's honest proposal ${honest} never committed on ${VICTIM} after the forgeries claiming node-2`, v.evidence);
    return v;
  });
}

/** §10.5.2: the attacker's genuine vote three times, an outsider's vote, certificates with too few distinct signers. */
async function checkVotes(s: Subject): Promise<Verdict> {
  return withMesh(s, async (m) => {
    let seq = HIGH_SEQ;
    const relay = (x: ByzantineMesh, payload: Parameters<typeof craftRelay>[0]['payload']) =>
      x.send(VICTIM, craftRelay({ origin: x.attackerId, signer: x.signer, seq: seq++, timestamp: Date.now(), payload }));
    const dup = hostileEvent('duplicated-vote', 'node-3');
    const thrice = hostileEvent('thrice-signed', 'node-3');
    const single = hostileEvent('single-signed', 'node-3');
    const attacks: Attack[] = [
      {
        name: "the attacker's genuine vote delivered three times in fresh gossip",
        layer: 'vote',
        reason: 'duplicate',
        count: 2,
        send: (x, slot) => {
          for (let k = 0; k < 3; k++) relay(x, { type: 'vote', vote: voteAs(x.signer, x.attackerId, slot, dup) });
        },
      },
      {
        // It also shows node-1 the outsider's CA-valid certificate, so its vote below is judged on membership alone.
        name: 'gossip from a CA-certified node outside the member set',
        layer: 'gossip',
        reason: 'non_member',
        count: 1,
        send: (x) =>
          x.send(
            VICTIM,
            craftRelay({
              origin: 'outsider',
              signer: x.outsider,
              seq: 1n,
              timestamp: Date.now(),
              payload: { type: 'proposal', slot: 1, event: hostileEvent('outsider-proposal', 'outsider') },
            }),
          ),
      },
      {
        name: 'a vote of a CA-certified node outside the member set, relayed by the attacker',
        layer: 'vote',
        reason: 'non_member',
        count: 1,
        send: (x, slot) => relay(x, { type: 'vote', vote: voteAs(x.outsider, 'outsider', slot, dup) }),
      },
      {
        name: 'a certificate listing the attacker three times (one distinct signer, quorum 2)',
        layer: 'entry',
        reason: 'duplicate_signer',
        count: 1,
        send: (x, slot) =>
          relay(x, {
            type: 'commit',
            entry: entryFrom(
              slot,
              thrice,
              [0, 1, 2].map(() => voteAs(x.signer, x.attackerId, slot, thrice)),
            ),
          }),
      },
      {
        name: 'a certificate with one signature (quorum 2)',
        layer: 'entry',
        reason: 'too_few_signers',
        count: 1,
        send: (x, slot) => relay(x, { type: 'commit', entry: entryFrom(slot, single, [voteAs(x.signer, x.attackerId, slot, single)]) }),
      },
    ];
    const slot = await nextSlot(m);
    const results: AttackResult[] = [];
    for (const a of attacks) results.push(await runAttack(m, a, slot));
    return judgeAttacks(m, results, ['duplicated-vote', 'thrice-signed', 'single-signed', 'outsider-proposal'], {
      slot,
      startup: m.startup,
    });
  });
}

export const byzantineChecks: NegativeCheck[] = [
  {
    id: 'forgery/nodes',
    clause: '10.5.1',
    realNodes: true,
    title:
      'real nodes: gossip with an impersonated origin or an invalid signature, and a forged vote, sent by a member on the wire, are refused and counted; the impersonated node is still heard',
    run: checkForgery,
  },
  {
    id: 'votes/nodes',
    clause: '10.5.2',
    realNodes: true,
    title:
      'real nodes: duplicate votes, a non-member vote and certificates with too few distinct signers, sent by a member on the wire, are refused and counted; nothing commits',
    run: checkVotes,
  },
];
