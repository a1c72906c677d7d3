// Identity and forgery (docs/mesh.md §3.4): certificates and signatures an
// attacker substitutes or corrupts, and peers the policy does not admit.
import { FrameType } from '../../../src/mesh/protocol/wire.ts';
import { Attacker, frameOf, rewrite } from '../attacker/attacker.ts';
import { editAccept, editFinish, editHello, flipBit } from '../attacker/fields.ts';
import { detectedBy, judge, type Expected, type NegativeCheck } from '../clause.ts';
import { attackedHandshake, pkiFor, type HandshakeSetup, type Subject } from '../scenario.ts';

const HELLO = frameOf('i2r', FrameType.HELLO);
const ACCEPT = frameOf('r2i', FrameType.ACCEPT);
const FINISH = frameOf('i2r', FrameType.FINISH);

interface Case {
  id: string;
  clause: string;
  title: string;
  setup: (s: Subject) => HandshakeSetup;
  expected: Expected;
}

const helloCert = (name: string, cert: (s: Subject) => Uint8Array) => (s: Subject) => ({
  attacker: new Attacker().on(rewrite(name, HELLO, (b) => editHello(b, (m) => ({ ...m, certificate: cert(s) })))),
});

const cases: Case[] = [
  {
    id: 'hello-certificate-other-ca',
    clause: '3.4.1',
    title: "a HELLO carrying the attacker's valid certificate from another CA is refused with unknown_ca",
    setup: helloCert('cert_i := outsider', (s) => pkiFor(s.backend).outsider.certificate.encoded),
    expected: detectedBy('unknown_ca'),
  },
  {
    id: 'hello-certificate-other-member',
    clause: '3.4.3',
    title: "a HELLO carrying another trusted member's certificate is caught by the ACCEPT signature (bad_signature)",
    setup: helloCert('cert_i := mallory', (s) => pkiFor(s.backend).mallory.certificate.encoded),
    expected: detectedBy('bad_signature'),
  },
  {
    id: 'hello-certificate-self',
    clause: '3.4.6',
    title: "a HELLO carrying the responder's own certificate is refused with policy",
    setup: helloCert('cert_i := bob', (s) => pkiFor(s.backend).bob.certificate.encoded),
    expected: detectedBy('policy'),
  },
  {
    id: 'hello-certificate-corrupt',
    clause: '3.4.2',
    title: 'a HELLO certificate with a flipped bit in its CA signature is refused with bad_certificate',
    setup: (s) =>
      helloCert('cert_i last byte flipped', () => {
        const c = pkiFor(s.backend).alice.certificate.encoded;
        return flipBit(c, c.length - 1);
      })(s),
    expected: detectedBy('bad_certificate'),
  },
  {
    id: 'accept-certificate-corrupt',
    clause: '3.4.2',
    title: 'an ACCEPT certificate with a flipped bit in its CA signature is refused with bad_certificate',
    setup: () => ({
      attacker: new Attacker().on(
        rewrite('cert_r last byte flipped', ACCEPT, (b) =>
          editAccept(b, (m) => ({ ...m, certificate: flipBit(m.certificate, m.certificate.length - 1) })),
        ),
      ),
    }),
    expected: detectedBy('bad_certificate'),
  },
  {
    id: 'accept-signature-flipped',
    clause: '3.4.3',
    title: 'an ACCEPT signature with one bit flipped is refused with bad_signature',
    setup: () => ({
      attacker: new Attacker().on(
        rewrite('sig_r bit flipped', ACCEPT, (b) => editAccept(b, (m) => ({ ...m, signature: flipBit(m.signature, 7) }))),
      ),
    }),
    expected: detectedBy('bad_signature'),
  },
  {
    id: 'finish-signature-flipped',
    clause: '3.4.4',
    title: 'a FINISH signature with one bit flipped is refused with bad_signature',
    setup: () => ({
      attacker: new Attacker().on(
        rewrite('sig_i bit flipped', FINISH, (b) => editFinish(b, (m) => ({ ...m, signature: flipBit(m.signature, 7) }))),
      ),
    }),
    expected: detectedBy('bad_signature'),
  },
  {
    id: 'accept-mac-flipped',
    clause: '3.3.4',
    title: 'an ACCEPT key confirmation with one bit flipped is refused with decap_mismatch',
    setup: () => ({
      attacker: new Attacker().on(rewrite('mac_r bit flipped', ACCEPT, (b) => editAccept(b, (m) => ({ ...m, mac: flipBit(m.mac, 0) })))),
    }),
    expected: detectedBy('decap_mismatch'),
  },
  {
    id: 'finish-mac-flipped',
    clause: '3.3.4',
    title: 'a FINISH key confirmation with one bit flipped is refused with decap_mismatch',
    setup: () => ({
      attacker: new Attacker().on(rewrite('mac_i bit flipped', FINISH, (b) => editFinish(b, (m) => ({ ...m, mac: flipBit(m.mac, 0) })))),
    }),
    expected: detectedBy('decap_mismatch'),
  },
  {
    id: 'non-member',
    clause: '3.4.6',
    title: 'a node with a valid certificate that is not a configured peer is refused with policy',
    setup: (s) => ({ attacker: new Attacker(), initiator: { identity: pkiFor(s.backend).carol } }),
    expected: detectedBy('policy'),
  },
  {
    id: 'expired-certificate',
    clause: '3.4.2',
    title: 'an expired certificate is refused with bad_certificate',
    setup: (s) => ({ attacker: new Attacker(), initiator: { identity: pkiFor(s.backend).expiredAlice } }),
    expected: detectedBy('bad_certificate'),
  },
];

export const identityChecks: NegativeCheck[] = cases.map((c) => ({
  id: `identity/${c.id}`,
  clause: c.clause,
  title: c.title,
  run: async (s) => judge(await attackedHandshake(s, c.setup(s)), c.expected, c.title),
}));
