// Message order, loss and replay in the handshake (docs/mesh.md §3.1, §3.5,
// §3.6): frames out of place, dropped or blackholed, and messages recorded
// from an earlier handshake played into a new one.
import { FrameType, type Frame } from '../../../src/mesh/protocol/wire.ts';
import { pass, type Verdict } from '../../../src/check/evidence.ts';
import { reasonOf } from '../../../src/mesh/protocol/errors.ts';
import { respond } from '../../../src/mesh/protocol/handshake.ts';
import { trustAnchor } from '../../../src/mesh/protocol/certificate.ts';
import { bindCipherSuites } from '../../../src/mesh/protocol/ciphersuites.ts';
import { Attacker, drop, duplicate, frameOf, replaceWith } from '../attacker/attacker.ts';
import { detectedBy, judge, type Expected, type NegativeCheck } from '../clause.ts';
import { attackedHandshake, pkiFor, type HandshakeSetup, type Subject } from '../scenario.ts';

const HELLO = frameOf('i2r', FrameType.HELLO);
const ACCEPT = frameOf('r2i', FrameType.ACCEPT);
const FINISH = frameOf('i2r', FrameType.FINISH);
/** Short deadline for the checks where a side must give up. */
const LOSS_TIMEOUT_MS = 300;

/** One honest handshake's frames, to replay later. */
async function recorded(s: Subject): Promise<Record<'hello' | 'accept' | 'finish', Frame>> {
  const run = await attackedHandshake(s, { attacker: new Attacker() });
  const find = (d: 'i2r' | 'r2i', t: number) => run.attacker.seen[d].find((f) => f.type === t)!;
  return { hello: find('i2r', FrameType.HELLO), accept: find('r2i', FrameType.ACCEPT), finish: find('i2r', FrameType.FINISH) };
}

interface Case {
  id: string;
  clause: string;
  title: string;
  setup: (s: Subject) => Promise<HandshakeSetup>;
  expected: Expected;
}

const swap = (name: string, match: typeof HELLO, pick: (r: Awaited<ReturnType<typeof recorded>>) => Frame) => async (s: Subject) => {
  const r = await recorded(s);
  return { attacker: new Attacker().on(replaceWith(name, match, () => [pick(r)])) };
};

const cases: Case[] = [
  {
    id: 'finish-first',
    clause: '3.1.1',
    title: 'a FINISH where the HELLO belongs is refused with unexpected_message',
    setup: swap('HELLO := recorded FINISH', HELLO, (r) => r.finish),
    expected: detectedBy('unexpected_message'),
  },
  {
    id: 'accept-to-responder',
    clause: '3.1.1',
    title: 'an ACCEPT sent to the responder is refused with unexpected_message',
    setup: swap('HELLO := recorded ACCEPT', HELLO, (r) => r.accept),
    expected: detectedBy('unexpected_message'),
  },
  {
    id: 'record-during-handshake',
    clause: '3.1.1',
    title: 'a RECORD before the handshake completed is refused with unexpected_message',
    setup: async () => ({
      attacker: new Attacker().on(replaceWith('HELLO := RECORD', HELLO, () => [{ type: FrameType.RECORD, body: new Uint8Array(32) }])),
    }),
    expected: detectedBy('unexpected_message'),
  },
  {
    id: 'hello-to-initiator',
    clause: '3.1.1',
    title: 'a HELLO sent back to the initiator is refused with unexpected_message',
    setup: swap('ACCEPT := recorded HELLO', ACCEPT, (r) => r.hello),
    expected: detectedBy('unexpected_message'),
  },
  {
    id: 'duplicated-hello',
    clause: '3.1.1',
    title: 'a HELLO delivered twice is refused with unexpected_message (the responder expects FINISH)',
    setup: async () => ({ attacker: new Attacker().on(duplicate('HELLO twice', HELLO)) }),
    expected: detectedBy('unexpected_message'),
  },
  {
    id: 'replayed-accept',
    clause: '3.6.1',
    title: 'an ACCEPT from an earlier handshake is refused with bad_signature (it signs another transcript)',
    setup: swap('ACCEPT := earlier ACCEPT', ACCEPT, (r) => r.accept),
    expected: detectedBy('bad_signature'),
  },
  {
    id: 'replayed-finish',
    clause: '3.6.1',
    title: 'a FINISH from an earlier handshake is refused with bad_signature',
    setup: swap('FINISH := earlier FINISH', FINISH, (r) => r.finish),
    expected: detectedBy('bad_signature'),
  },
  {
    id: 'dropped-hello',
    clause: '3.5.1',
    title: 'a dropped HELLO ends both sides with timeout',
    setup: async () => ({ attacker: new Attacker().on(drop('drop HELLO', HELLO)), timeoutMs: LOSS_TIMEOUT_MS }),
    expected: detectedBy('timeout'),
  },
  {
    id: 'dropped-finish',
    clause: '3.5.1',
    title: 'a dropped FINISH ends the responder with timeout, and its alert closes the initiator',
    setup: async () => ({ attacker: new Attacker().on(drop('drop FINISH', FINISH)), timeoutMs: LOSS_TIMEOUT_MS }),
    expected: detectedBy('timeout'),
  },
  {
    id: 'blackholed-responder',
    clause: '3.5.1',
    title: 'a blackholed responder-to-initiator direction ends both sides with timeout',
    setup: async () => ({ attacker: new Attacker().blackhole('r2i'), timeoutMs: LOSS_TIMEOUT_MS }),
    expected: { initiator: 'timeout', responder: 'timeout' },
  },
];

/**
 * A whole recorded handshake played to a fresh responder: the attacker
 * sends the old HELLO, takes the new ACCEPT, sends the old FINISH. The
 * responder's fresh nonce makes the old FINISH sign another transcript.
 */
async function wholeHandshakeReplay(s: Subject): Promise<Verdict> {
  const r = await recorded(s);
  const pki = pkiFor(s.backend);
  const a = new Attacker();
  const { initiator: attackerEnd, responder } = a.conns();
  const bob = respond(
    {
      identity: pki.bob,
      trust: trustAnchor(pki.ca.certificate, s.backend),
      suites: bindCipherSuites(s.backend),
      offer: ['XWING-MLDSA65'],
      accepts: (x) => !x.classical,
      isPeer: () => true,
      protocol: s.protocol,
      timeoutMs: 1500,
    },
    responder,
  ).then(
    () => 'ok' as const,
    (e: unknown) => reasonOf(e),
  );
  attackerEnd.send(FrameType.HELLO, r.hello.body);
  await attackerEnd.receive().catch(() => undefined);
  attackerEnd.send(FrameType.FINISH, r.finish.body);
  const outcome = await bob;
  const evidence = { responder: outcome, frames: a.trace() };
  return outcome === 'bad_signature'
    ? pass(evidence)
    : { status: 'fail', reason: `a replayed handshake ended the responder with ${outcome}, expected bad_signature`, evidence };
}

export const handshakeChecks: NegativeCheck[] = [
  ...cases.map(
    (c): NegativeCheck => ({
      id: `handshake/${c.id}`,
      clause: c.clause,
      title: c.title,
      run: async (s) => judge(await attackedHandshake(s, await c.setup(s)), c.expected, c.title),
    }),
  ),
  {
    id: 'handshake/replayed-whole-handshake',
    clause: '3.6.1',
    title: 'a whole recorded handshake (HELLO, then FINISH) played to a fresh responder is refused with bad_signature',
    run: wholeHandshakeReplay,
  },
];
