// The attacker in the path between two node processes started by the run's
// node command (negative/node-pair.ts): what `certify --node-command "..."`
// judges of an external implementation on the wire. The nodes are seen only
// through the node contract: /status, /send, /received and the
// pqc_handshake_failure_total{reason} series of /metrics.
import { fail, pass, type Verdict } from '../../../src/check/evidence.ts';
import { FrameType, encodeAlert } from '../../../src/mesh/protocol/wire.ts';
import { pollUntil } from '../../control/nodes.ts';
import type { Direction } from '../attacker/attacker.ts';
import type { NegativeCheck } from '../clause.ts';
import { negativeNodeCommand } from '../node-command.ts';
import { NodePair, PAIR_IDS, type PairId } from '../node-pair.ts';
import type { Subject } from '../scenario.ts';

/** The two nodes connect through the attacker (and again after each attack) within this. */
const CONNECT_MS = 10_000;
/** The victim closes and counts within this. */
const SETTLE_MS = 3000;
/** A message after the attack is acknowledged within this (a reconnect and a handshake). */
const SEND_MS = 8000;
const INJECTED = 'revoked';
const TRACE_LINES = 40;

const other = (id: PairId): PairId => PAIR_IDS.find((x) => x !== id)!;

interface Counts {
  badFrame: number;
  injected: number;
}

interface Round {
  direction: Direction;
  victim: PairId;
  /** pqc_handshake_failure_total deltas on each node. */
  victimDelta: Counts;
  peerDelta: Counts;
  closedMs?: number;
  sendStatus: number;
  delivered: number;
  frames: string[];
}

async function counts(p: NodePair, id: PairId): Promise<Counts> {
  return { badFrame: await p.failures(id, 'bad_frame'), injected: await p.failures(id, INJECTED) };
}

const delta = (a: Counts, b: Counts): Counts => ({ badFrame: b.badFrame - a.badFrame, injected: b.injected - a.injected });

/** One cleartext ALERT toward one end of the session now established; then the mesh must heal. */
async function attack(p: NodePair, toward: 'listener' | 'dialer', n: number): Promise<Round | string> {
  const l = await p.established(CONNECT_MS);
  if (!l) return `the nodes did not report each other connected through the attacker within ${CONNECT_MS} ms`;
  const victim = toward === 'listener' ? l.listener : l.dialer;
  const direction: Direction = toward === 'listener' ? 'i2r' : 'r2i';
  const [v0, o0] = [await counts(p, victim), await counts(p, other(victim))];
  l.link.attacker.inject(direction, {
    type: FrameType.ALERT,
    body: encodeAlert({ reason: INJECTED, message: 'injected by the attacker' }),
  });
  const closedMs = await pollUntil(async () => l.link.client.destroyed || l.link.server.destroyed, SETTLE_MS);
  // The counters move when the session closes; give both a moment, then read them.
  await pollUntil(async () => {
    const c = await counts(p, victim);
    return c.badFrame > v0.badFrame || c.injected > v0.injected;
  }, SETTLE_MS);
  const [v1, o1] = [await counts(p, victim), await counts(p, other(victim))];
  const payload = `after-${direction}-${n}`;
  const sendStatus = await p.send(l.dialer, l.listener, payload, SEND_MS);
  const delivered = (await p.received(l.listener)).filter((m) => m.payload === payload).length;
  return {
    direction,
    victim,
    victimDelta: delta(v0, v1),
    peerDelta: delta(o0, o1),
    ...(closedMs === undefined ? {} : { closedMs }),
    sendStatus,
    delivered,
    frames: l.link.attacker.trace().slice(-TRACE_LINES),
  };
}

/** What §4.1.7 owes, as the contract shows it; the first thing missing, or undefined. */
function unmet(r: Round): string | undefined {
  const at = `cleartext ALERT {${INJECTED}} injected ${r.direction} toward ${r.victim}`;
  if (r.closedMs === undefined) return `${at}: the session stayed open (the receiver must close it with bad_frame)`;
  if (r.victimDelta.injected > 0 || r.peerDelta.injected > 0)
    return `${at}: counted as the peer's ${INJECTED} (pqc_handshake_failure_total{reason="${INJECTED}"} +${r.victimDelta.injected} on ${r.victim}, +${r.peerDelta.injected} on ${other(r.victim)}): the cleartext frame was believed`;
  if (r.victimDelta.badFrame !== 1)
    return `${at}: ${r.victim} counted pqc_handshake_failure_total{reason="bad_frame"} +${r.victimDelta.badFrame}, expected +1 (its own finding)`;
  if (r.sendStatus !== 200 || r.delivered !== 1)
    return `${at}: after it, a message was answered ${r.sendStatus} and delivered ${r.delivered} time(s) (expected 200, once): the nodes did not recover by a new handshake`;
  return undefined;
}

async function checkCleartextAlert(s: Subject): Promise<Verdict> {
  const command = negativeNodeCommand(s);
  const t0 = Date.now();
  let p: NodePair;
  let retried: string | undefined;
  try {
    p = await NodePair.start({ command, backend: s.backend });
  } catch (e) {
    // A picked port taken before the node bound it (exit 2, EADDRINUSE): one more try with fresh ports, as byzantine.ts does.
    retried = (e as Error).message;
    if (!/exited with code 2/.test(retried)) return fail(`the nodes did not start: ${retried}`, { nodeCommand: command.text });
    try {
      p = await NodePair.start({ command, backend: s.backend });
    } catch (again) {
      return fail(`the nodes did not start: ${(again as Error).message}`, { nodeCommand: command.text, startRetried: retried });
    }
  }
  let failed = false;
  try {
    const startedMs = Date.now() - t0;
    const rounds: Round[] = [];
    for (const [n, toward] of (['listener', 'dialer'] as const).entries()) {
      const r = await attack(p, toward, n);
      const evidence = { nodeCommand: command.text, startedMs, rounds, ...(retried ? { startRetried: retried } : {}) };
      failed = true;
      if (typeof r === 'string') return fail(r, { ...evidence, logs: p.dir });
      rounds.push(r);
      const why = unmet(r);
      if (why) return fail(why, { ...evidence, logs: p.dir });
      failed = false;
    }
    return pass({ nodeCommand: command.text, startedMs, rounds, ...(retried ? { startRetried: retried } : {}) });
  } finally {
    // A failure keeps the node logs (named in its evidence).
    await p.stop(failed);
  }
}

export const nodeChecks: NegativeCheck[] = [
  {
    id: 'nodes/cleartext-alert',
    clause: '4.1.7',
    realNodes: true,
    title:
      'node processes (the run’s node command), the attacker in the path: a cleartext ALERT injected toward either end of an established session is not believed; the receiver counts bad_frame, and a new handshake delivers the next message once',
    run: checkCleartextAlert,
  },
];
