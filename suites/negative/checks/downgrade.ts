// Downgrade (docs/mesh.md §3.2): an attacker strips or reorders suites and
// versions, forces the classical suite, claims fallback, or answers with an
// ACCEPT of its own. Each is refused with the reason the clause names.
import { x25519Keygen } from '../../../src/crypto/x25519.ts';
import { trustAnchor } from '../../../src/mesh/protocol/certificate.ts';
import { CIPHER_SUITE_IDS, bindCipherSuites } from '../../../src/mesh/protocol/ciphersuites.ts';
import { respond } from '../../../src/mesh/protocol/handshake.ts';
import { FrameType, type Frame } from '../../../src/mesh/protocol/wire.ts';
import { Attacker, frameOf, replaceWith, rewrite } from '../attacker/attacker.ts';
import { editAccept, editHello } from '../attacker/fields.ts';
import { detectedBy, judge, type Expected, type NegativeCheck } from '../clause.ts';
import { attackedHandshake, pkiFor, type HandshakeSetup, type Subject } from '../scenario.ts';

const HELLO = frameOf('i2r', FrameType.HELLO);
const ACCEPT = frameOf('r2i', FrameType.ACCEPT);
const XWING = CIPHER_SUITE_IDS['XWING-MLDSA65'];
const MLKEM1024 = CIPHER_SUITE_IDS['MLKEM1024-MLDSA87'];
const CLASSICAL = CIPHER_SUITE_IDS['X25519-ED25519'];

/** HELLO rewritten to offer only the classical suite, with a share the attacker made for it. */
const toClassical = (suites: number[]) => (b: Uint8Array) => editHello(b, (m) => ({ ...m, suites, keyShare: x25519Keygen().publicKey }));

const both = { offer: ['XWING-MLDSA65', 'MLKEM1024-MLDSA87'] as const };

interface Case {
  id: string;
  clause: string;
  title: string;
  setup: () => HandshakeSetup;
  expected: Expected;
}

const cases: Case[] = [
  {
    id: 'strip-to-classical',
    clause: '3.2.3',
    title: 'a HELLO stripped to the classical suite outside fallback is refused with policy',
    setup: () => ({ attacker: new Attacker().on(rewrite('suites := [classical]', HELLO, toClassical([CLASSICAL]))) }),
    expected: detectedBy('policy'),
  },
  {
    id: 'classical-first',
    clause: '3.2.2',
    title: 'a HELLO reordered to put the classical suite ahead of a shared post-quantum suite is refused with downgrade',
    setup: () => ({
      initiator: { offer: ['XWING-MLDSA65', 'X25519-ED25519'] },
      attacker: new Attacker().on(rewrite('suites := [classical, X-Wing]', HELLO, toClassical([CLASSICAL, XWING]))),
    }),
    expected: detectedBy('downgrade'),
  },
  {
    id: 'claims-fallback',
    clause: '3.2.4',
    title: 'a man in the middle forcing the classical suite on a responder in fallback is caught by the echoed offer (downgrade)',
    setup: () => ({
      responder: { accepts: () => true },
      attacker: new Attacker().on(rewrite('suites := [classical] (responder in fallback)', HELLO, toClassical([CLASSICAL]))),
    }),
    expected: detectedBy('downgrade'),
  },
  {
    id: 'strip-second-suite',
    clause: '3.2.4',
    title: 'a post-quantum suite stripped from the offer shows in the echo: the initiator refuses with downgrade',
    setup: () => ({
      initiator: both,
      attacker: new Attacker().on(rewrite('suites := [X-Wing]', HELLO, (b) => editHello(b, (m) => ({ ...m, suites: [XWING] })))),
    }),
    expected: detectedBy('downgrade'),
  },
  {
    id: 'strip-and-restore-echo',
    clause: '3.4.3',
    title: 'a suite stripped and the echo restored is caught by the ACCEPT signature (bad_signature)',
    setup: () => ({
      initiator: both,
      attacker: new Attacker()
        .on(rewrite('suites := [X-Wing]', HELLO, (b) => editHello(b, (m) => ({ ...m, suites: [XWING] }))))
        .on(rewrite('echo := original offer', ACCEPT, (b) => editAccept(b, (m) => ({ ...m, offeredSuites: [XWING, MLKEM1024] })))),
    }),
    expected: detectedBy('bad_signature'),
  },
  {
    id: 'version-rollback',
    clause: '3.2.1',
    title: 'a HELLO whose versions are rewritten to [0] is refused with policy (no common version)',
    setup: () => ({
      attacker: new Attacker().on(rewrite('versions := [0]', HELLO, (b) => editHello(b, (m) => ({ ...m, versions: [0] })))),
    }),
    expected: detectedBy('policy'),
  },
  {
    id: 'version-added',
    clause: '3.2.4',
    title: 'a version slipped into the offer shows in the echo: downgrade',
    setup: () => ({
      attacker: new Attacker().on(rewrite('versions := [0, 1]', HELLO, (b) => editHello(b, (m) => ({ ...m, versions: [0, 1] })))),
    }),
    expected: detectedBy('downgrade'),
  },
  {
    id: 'accept-version',
    clause: '3.2.5',
    title: 'an ACCEPT choosing version 0 is refused with downgrade',
    setup: () => ({
      attacker: new Attacker().on(rewrite('ACCEPT.version := 0', ACCEPT, (b) => editAccept(b, (m) => ({ ...m, version: 0 })))),
    }),
    expected: detectedBy('downgrade'),
  },
  {
    id: 'accept-other-pq-suite',
    clause: '3.2.5',
    title: 'an ACCEPT choosing a suite other than the offered first one is refused with downgrade',
    setup: () => ({
      initiator: both,
      attacker: new Attacker().on(
        rewrite('ACCEPT.suite := ML-KEM-1024', ACCEPT, (b) => editAccept(b, (m) => ({ ...m, suite: MLKEM1024 }))),
      ),
    }),
    expected: detectedBy('downgrade'),
  },
  {
    id: 'accept-classical-suite',
    clause: '3.2.5',
    title: 'an ACCEPT claiming the classical suite (fallback) is refused with downgrade',
    setup: () => ({
      attacker: new Attacker().on(rewrite('ACCEPT.suite := classical', ACCEPT, (b) => editAccept(b, (m) => ({ ...m, suite: CLASSICAL })))),
    }),
    expected: detectedBy('downgrade'),
  },
  {
    id: 'echo-reordered',
    clause: '3.2.4',
    title: 'an ACCEPT echoing the offer in another order is refused with downgrade',
    setup: () => ({
      initiator: both,
      attacker: new Attacker().on(
        rewrite('echo := reversed', ACCEPT, (b) => editAccept(b, (m) => ({ ...m, offeredSuites: [...m.offeredSuites].reverse() }))),
      ),
    }),
    expected: detectedBy('downgrade'),
  },
  {
    id: 'echo-versions-changed',
    clause: '3.2.4',
    title: 'an ACCEPT echoing other versions is refused with downgrade',
    setup: () => ({
      attacker: new Attacker().on(
        rewrite('echoed versions := [1, 2]', ACCEPT, (b) => editAccept(b, (m) => ({ ...m, offeredVersions: [1, 2] }))),
      ),
    }),
    expected: detectedBy('downgrade'),
  },
];

/**
 * The attacker answers the HELLO with a real ACCEPT made by another node
 * (its own run of the responder), so the ACCEPT is signed, just not by Bob.
 */
function resignedBy(subject: Subject, who: 'mallory' | 'outsider'): Attacker {
  const pki = pkiFor(subject.backend);
  const a = new Attacker();
  return a.on(
    replaceWith(`ACCEPT made by ${who}`, HELLO, (f) => {
      const side = new Attacker();
      const { initiator: fake, responder } = side.conns();
      void respond(
        {
          identity: pki[who],
          trust: trustAnchor(pki.ca.certificate, subject.backend),
          suites: bindCipherSuites(subject.backend),
          offer: ['XWING-MLDSA65'],
          accepts: () => true,
          isPeer: () => true,
          protocol: subject.protocol,
          timeoutMs: 1000,
        },
        responder,
      ).catch(() => undefined);
      fake.send(FrameType.HELLO, f.frame.body);
      void fake.receive().then(
        (accept: Frame) => a.inject('r2i', accept),
        () => undefined,
      );
      return [];
    }),
  );
}

export const downgradeChecks: NegativeCheck[] = [
  ...cases.map(
    (c): NegativeCheck => ({
      id: `downgrade/${c.id}`,
      clause: c.clause,
      title: c.title,
      run: async (s) => judge(await attackedHandshake(s, c.setup()), c.expected, c.title),
    }),
  ),
  {
    id: 'downgrade/accept-resigned-by-member',
    clause: '3.4.5',
    title: 'an ACCEPT re-made and signed by another trusted member is refused by the initiator with policy (not the node it dialled)',
    run: async (s) =>
      judge(await attackedHandshake(s, { attacker: resignedBy(s, 'mallory') }), detectedBy('policy'), 'ACCEPT signed by mallory'),
  },
  {
    id: 'downgrade/accept-resigned-by-outsider',
    clause: '3.4.1',
    title: "an ACCEPT signed by the attacker's own valid identity from another CA is refused with unknown_ca",
    run: async (s) =>
      judge(
        await attackedHandshake(s, { attacker: resignedBy(s, 'outsider') }),
        detectedBy('unknown_ca'),
        'ACCEPT signed by an outsider claiming bob',
      ),
  },
];
