// A cleartext ALERT injected on an established session (docs/mesh.md §4.1.7),
// over real loopback TCP with the node's own connection and session code:
// after the handshake the peer's alerts are sealed in the channel, so a
// cleartext one is the attacker's. The receiving side must close with
// `bad_frame` (its own finding, not the injected reason), and its sealed
// ALERT must tell the other side `bad_frame` too. A node that believes the
// frame closes with whatever reason the attacker chose, as if the peer said so.
import { fail, pass, type Verdict } from '../../../src/check/evidence.ts';
import type { CloseInfo } from '../../../src/mesh/node/connection.ts';
import { FrameType, encodeAlert } from '../../../src/mesh/protocol/wire.ts';
import type { Direction } from '../attacker/attacker.ts';
import type { NegativeCheck } from '../clause.ts';
import type { Subject } from '../scenario.ts';
import { closedWithin, tcpSessions } from '../tcp-sessions.ts';

/** Both sessions close within this (the victim at once, the peer on its sealed ALERT). */
const CLOSE_WITHIN_MS = 2000;

const show = (c: CloseInfo | 'open') =>
  c === 'open' ? 'stayed open' : `closed with ${c.reason}${c.remote ? ' (as told by the peer)' : ''}`;

async function injectCleartextAlert(s: Subject, direction: Direction, injected: 'revoked' | 'policy'): Promise<Verdict> {
  const p = await tcpSessions(s);
  try {
    // The session works before the attack.
    p.initiator.session.sendApplication(new TextEncoder().encode('before'));
    p.attacker.inject(direction, { type: FrameType.ALERT, body: encodeAlert({ reason: injected, message: 'injected by the attacker' }) });
    const [victim, peer] = direction === 'i2r' ? [p.responder, p.initiator] : [p.initiator, p.responder];
    const [v, o] = await Promise.all([closedWithin(victim, CLOSE_WITHIN_MS), closedWithin(peer, CLOSE_WITHIN_MS)]);
    const evidence = {
      attack: `cleartext ALERT {${injected}} injected ${direction} on an established session`,
      victim: v,
      peer: o,
      frames: p.attacker.trace(),
    };
    const victimOk = v !== 'open' && v.reason === 'bad_frame' && !v.remote;
    const peerOk = o !== 'open' && o.reason === 'bad_frame' && o.remote;
    if (victimOk && peerOk) return pass(evidence);
    return fail(
      `${evidence.attack}: the receiver ${show(v)} (expected bad_frame, its own), the other side ${show(o)} (expected bad_frame from the receiver's sealed ALERT)`,
      evidence,
    );
  } finally {
    p.initiator.session.close();
    p.responder.session.close();
    await p.close();
  }
}

export const cleartextAlertChecks: NegativeCheck[] = [
  ...(['i2r', 'r2i'] as const).map((direction) => ({
    id: `records/cleartext-alert/${direction}`,
    clause: '4.1.7',
    title: `a cleartext ALERT injected ${direction} after the handshake is not believed: the receiver closes with bad_frame and its sealed ALERT says so`,
    run: (s: Subject) => injectCleartextAlert(s, direction, 'revoked'),
  })),
  {
    id: 'records/cleartext-alert/policy-to-responder',
    clause: '4.1.7',
    title: 'a cleartext ALERT {policy} injected to the responder after the handshake is a bad_frame, not the peer refusing',
    run: (s) => injectCleartextAlert(s, 'i2r', 'policy'),
  },
];
