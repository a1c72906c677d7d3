// The handshake of docs/mesh.md §3 recomputed from the frames on the wire by
// a second implementation (node:crypto SHA-256 and HMAC, the spec's labels):
// transcript, both signatures, both confirmation MACs, the session id and
// the traffic secrets. Then each refusal the handshake makes on its own
// (no signature forging needed), with its reason and message. In memory, no
// sockets: part of the mutation run (docs/mutation.md).
import { createHash, createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../src/mesh/protocol/certificate.ts';
import type { CipherSuite, CipherSuiteName } from '../../src/mesh/protocol/ciphersuites.ts';
import { MeshError, reasonOf } from '../../src/mesh/protocol/errors.ts';
import { initiate, respond, type HandshakeConfig, type HandshakeResult } from '../../src/mesh/protocol/handshake.ts';
import { FrameType, decodeAccept, decodeFinish, decodeHello, encodeAccept, encodeHello, type Frame } from '../../src/mesh/protocol/wire.ts';
import { memoryPair, type Rewrite } from '../../suites/mesh/memory-pair.ts';
import { handshakeConfig, makePki, type TestPki } from '../support/pki.ts';
import { expandLabel, field, hkdfExtract } from '../support/spec-records.ts';

let pki: TestPki;
beforeAll(() => {
  pki = makePki();
});

interface Outcome {
  initiator?: HandshakeResult;
  responder?: HandshakeResult;
  initiatorError?: MeshError;
  responderError?: MeshError;
  frames: Frame[];
}

/** Both sides over an in-memory pair; a side that fails closes its end, as a node does. */
async function handshake(i: HandshakeConfig, r: HandshakeConfig, rewrite?: Rewrite, expectedPeer = 'b'): Promise<Outcome> {
  const frames: Frame[] = [];
  const pair = memoryPair((f, n) => {
    const out = rewrite ? rewrite(f, n) : f;
    frames.push(out);
    return out;
  });
  const out: Outcome = { frames };
  const side = async (role: 'initiator' | 'responder', run: Promise<HandshakeResult>) => {
    try {
      out[role] = await run;
    } catch (e) {
      out[`${role}Error`] = e as MeshError;
      pair.close(role, 'failed');
    }
  };
  await Promise.all([side('initiator', initiate(i, pair.initiator, expectedPeer)), side('responder', respond(r, pair.responder))]);
  return out;
}

/** The responder's suites, recording every KEM secret its encapsulation makes (the one input the wire does not show). */
function recordingSecrets(config: HandshakeConfig): { config: HandshakeConfig; secrets: Uint8Array[] } {
  const secrets: Uint8Array[] = [];
  const suites = new Map<CipherSuiteName, CipherSuite>();
  for (const [name, s] of config.suites) {
    const kem = {
      ...s.kem,
      encaps: (pk: Uint8Array) => {
        const e = s.kem.encaps(pk);
        secrets.push(e.secret);
        return e;
      },
    };
    suites.set(name, { ...s, kem });
  }
  return { config: { ...config, suites }, secrets };
}

const sha256 = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());
const hmac = (key: Uint8Array, data: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(data).digest());
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('the handshake recomputed from its frames (§3)', () => {
  it('matches the spec: transcript, signatures, MACs, session id and traffic secrets', async () => {
    const a = pki.node('a');
    const b = pki.node('b');
    const { config, secrets } = recordingSecrets(handshakeConfig(pki, b));
    const out = await handshake(handshakeConfig(pki, a), config);
    expect(out.initiatorError ?? out.responderError).toBeUndefined();
    expect(out.frames.map((f) => f.type)).toEqual([FrameType.HELLO, FrameType.ACCEPT, FrameType.FINISH]);
    const [helloFrame, acceptFrame, finishFrame] = out.frames;

    const hello = decodeHello(helloFrame.body);
    expect(hello).toMatchObject({ versions: [1], suites: [1, 2], certificate: a.certificate.encoded });
    expect(hello.keyShare).toHaveLength(config.suites.get('XWING-MLDSA65')!.kem.shareBytes);
    expect(hello.nonce).toHaveLength(32);
    const accept = decodeAccept(acceptFrame.body);
    expect(accept).toMatchObject({ version: 1, suite: 1, offeredVersions: [1], offeredSuites: [1, 2], certificate: b.certificate.encoded });
    expect(accept.nonce).toHaveLength(32);
    expect(accept.nonce).not.toEqual(hello.nonce);
    const finish = decodeFinish(finishFrame.body);

    const core = acceptFrame.body.subarray(0, acceptFrame.body.length - field(accept.signature).length - field(accept.mac).length);
    const parts = [utf8('pqc-mesh v1 transcript'), helloFrame.body, core];
    const mldsa65 = pki.backend.sig('ML-DSA-65');
    const throughCore = sha256(...parts);
    expect(
      mldsa65.verify(
        b.certificate.keys.get('ML-DSA-65')!,
        Buffer.concat([utf8('pqc-mesh v1 responder signature'), throughCore]),
        accept.signature,
      ),
    ).toBe(true);
    parts.push(field(accept.signature));
    const throughSigR = sha256(...parts);
    expect(secrets).toHaveLength(1);
    const prk = hkdfExtract(throughSigR, secrets[0]);
    expect(accept.mac).toEqual(hmac(expandLabel(prk, 'r confirm'), throughSigR));
    parts.push(field(accept.mac));
    expect(
      mldsa65.verify(
        a.certificate.keys.get('ML-DSA-65')!,
        Buffer.concat([utf8('pqc-mesh v1 initiator signature'), sha256(...parts)]),
        finish.signature,
      ),
    ).toBe(true);
    parts.push(field(finish.signature));
    expect(finish.mac).toEqual(hmac(expandLabel(prk, 'i confirm'), sha256(...parts)));
    parts.push(field(finish.mac));
    const full = sha256(...parts);

    const i2r = expandLabel(prk, 'i2r traffic');
    const r2i = expandLabel(prk, 'r2i traffic');
    const sessionId = expandLabel(prk, 'session id', 16);
    expect(out.initiator).toMatchObject({ role: 'initiator', sessionId, sendSecret: i2r, recvSecret: r2i, transcriptHash: full });
    expect(out.responder).toMatchObject({ role: 'responder', sessionId, sendSecret: r2i, recvSecret: i2r, transcriptHash: full });
    expect(out.initiator?.peer.nodeId).toBe('b');
    expect(out.responder?.peer.nodeId).toBe('a');
    expect(out.initiator?.suite.name).toBe('XWING-MLDSA65');
    expect(out.responder?.suite.name).toBe('XWING-MLDSA65');
  });
});

const rewriteHello =
  (edit: (h: ReturnType<typeof decodeHello>) => ReturnType<typeof decodeHello>): Rewrite =>
  (f) =>
    f.type === FrameType.HELLO ? { type: f.type, body: encodeHello(edit(decodeHello(f.body))) } : f;
const rewriteAccept =
  (edit: (a: ReturnType<typeof decodeAccept>) => ReturnType<typeof decodeAccept>): Rewrite =>
  (f) =>
    f.type === FrameType.ACCEPT ? { type: f.type, body: encodeAccept(edit(decodeAccept(f.body))) } : f;

describe('refusals of the handshake itself, with reason and message', () => {
  it.each<[string, Rewrite, string]>([
    ['another version', rewriteAccept((a) => ({ ...a, version: 2 })), 'downgrade: responder chose version 2'],
    ['another suite', rewriteAccept((a) => ({ ...a, suite: 2 })), 'downgrade: responder chose suite MLKEM1024-MLDSA87, not XWING-MLDSA65'],
    ['an unknown suite', rewriteAccept((a) => ({ ...a, suite: 99 })), 'downgrade: responder chose suite 99, not XWING-MLDSA65'],
    [
      'an echo missing a suite',
      rewriteAccept((a) => ({ ...a, offeredSuites: [1] })),
      'downgrade: the offer the responder saw differs from the offer sent',
    ],
    [
      'an echo with suites swapped',
      rewriteAccept((a) => ({ ...a, offeredSuites: [2, 1] })),
      'downgrade: the offer the responder saw differs from the offer sent',
    ],
    [
      'an echo of another version',
      rewriteAccept((a) => ({ ...a, offeredVersions: [2] })),
      'downgrade: the offer the responder saw differs from the offer sent',
    ],
    [
      'a ciphertext one byte short',
      rewriteAccept((a) => ({ ...a, ciphertext: a.ciphertext.subarray(1) })),
      'bad_frame: ACCEPT.ciphertext has the wrong size for the suite',
    ],
  ])('the initiator refuses an ACCEPT with %s', async (_, rewrite, message) => {
    const out = await handshake(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.node('b')), rewrite);
    expect(out.initiatorError?.message).toBe(message);
    expect(out.initiator).toBeUndefined();
  });

  it.each<[string, Rewrite, string]>([
    ['only version 2', rewriteHello((h) => ({ ...h, versions: [2, 7] })), 'policy: no common protocol version in 2,7'],
    ['an unknown first suite', rewriteHello((h) => ({ ...h, suites: [99, 1] })), 'policy: first offered suite 99 is not acceptable'],
    [
      'the classical suite ahead of a post-quantum one',
      rewriteHello((h) => ({ ...h, suites: [3, 1] })),
      'downgrade: classical X25519-ED25519 offered ahead of a post-quantum suite',
    ],
    [
      'a key share one byte short',
      rewriteHello((h) => ({ ...h, keyShare: h.keyShare.subarray(1) })),
      'bad_frame: HELLO.keyShare has the wrong size for the suite',
    ],
  ])('the responder refuses a HELLO with %s', async (_, rewrite, message) => {
    const out = await handshake(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.node('b')), rewrite);
    expect(out.responderError?.message).toBe(message);
    expect(out.responder).toBeUndefined();
  });

  it('a classical first suite is policy, not downgrade, when no post-quantum suite offered is acceptable', async () => {
    const classicalOnly = handshakeConfig(pki, pki.node('b'), { accepts: (s) => s.classical });
    const out = await handshake(handshakeConfig(pki, pki.node('a'), { offer: ['X25519-ED25519', 'XWING-MLDSA65'] }), classicalOnly);
    expect(out.responder?.suite.name).toBe('X25519-ED25519');
    const refusing = handshakeConfig(pki, pki.node('b'), { accepts: () => false });
    const refused = await handshake(handshakeConfig(pki, pki.node('a'), { offer: ['X25519-ED25519', 'XWING-MLDSA65'] }), refusing);
    expect(refused.responderError?.message).toBe('policy: first offered suite X25519-ED25519 is not acceptable');
  });

  it('the responder asks the policy about the suite for the peer that offered it', async () => {
    const asked: [string, string][] = [];
    const accepts = (s: CipherSuite, peer: string) => {
      asked.push([s.name, peer]);
      return !s.classical;
    };
    const r = handshakeConfig(pki, pki.node('b'), { accepts });
    await handshake(handshakeConfig(pki, pki.node('a')), r);
    expect(asked).toContainEqual(['XWING-MLDSA65', 'a']);
    expect(asked.every(([, peer]) => peer === 'a')).toBe(true);
  });

  it('refuses with policy: nothing to offer, a connection to itself, a node without the suite key', async () => {
    const nothing = await handshake(handshakeConfig(pki, pki.node('a'), { suites: new Map() }), handshakeConfig(pki, pki.node('b')));
    expect(nothing.initiatorError?.message).toBe('policy: no suite to offer');
    const self = await handshake(handshakeConfig(pki, pki.node('b')), handshakeConfig(pki, pki.node('b')));
    expect(self.responderError?.message).toBe('policy: a node cannot connect to itself');
    const b = pki.node('b');
    const keyless: Identity = { certificate: b.certificate, keys: { nodeId: 'b', secretKeys: new Map() } };
    const out = await handshake(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, keyless));
    expect(out.responderError?.message).toBe('policy: this node has no ML-DSA-65 key for XWING-MLDSA65');
    const unknown = await handshake(
      handshakeConfig(pki, pki.node('a')),
      handshakeConfig(pki, pki.node('b'), { isPeer: (id) => id !== 'a' }),
    );
    expect(unknown.responderError?.message).toBe('policy: a is not a configured peer');
    const wrong = await handshake(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.node('c')));
    expect(wrong.initiatorError?.message).toBe('policy: dialled b but the responder is c');
  });

  it('admits a HELLO by the peer its certificate claims, undefined for a non-member or unreadable one, before any signature', async () => {
    const claims: (string | undefined)[] = [];
    const admit = (isPeer: (id: string) => boolean) =>
      handshakeConfig(pki, pki.node('b'), { isPeer, admitHello: (c) => void claims.push(c) });
    await handshake(
      handshakeConfig(pki, pki.node('a')),
      admit(() => true),
    );
    await handshake(
      handshakeConfig(pki, pki.node('a')),
      admit(() => false),
    );
    await handshake(
      handshakeConfig(pki, pki.node('a')),
      admit(() => true),
      rewriteHello((h) => ({ ...h, certificate: Uint8Array.of(1, 2, 3) })),
    );
    expect(claims).toEqual(['a', undefined, undefined]);
    const refusing = handshakeConfig(pki, pki.node('b'), {
      admitHello: () => {
        throw new MeshError('policy', 'over budget');
      },
    });
    const out = await handshake(handshakeConfig(pki, pki.node('a')), refusing);
    expect(out.responderError?.message).toBe('policy: over budget');
    expect(out.frames.map((f) => f.type)).toEqual([FrameType.HELLO]);
  });

  it('names the frame it expected when another arrives', async () => {
    const pair = memoryPair();
    const pending = respond(handshakeConfig(pki, pki.node('b')), pair.responder).catch((e: unknown) => e);
    pair.initiator.send(FrameType.FINISH, new Uint8Array(0));
    const e = await pending;
    expect(reasonOf(e)).toBe('unexpected_message');
    expect((e as MeshError).message).toBe('unexpected_message: expected HELLO, got frame type 3');
    const toInitiator = await handshake(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.node('b')), (f) =>
      f.type === FrameType.ACCEPT ? { type: FrameType.RECORD, body: f.body } : f,
    );
    expect(toInitiator.initiatorError?.message).toBe('unexpected_message: expected ACCEPT, got frame type 4');
  });

  it('names the deadline it missed', async () => {
    const pair = memoryPair();
    const e = await initiate(handshakeConfig(pki, pki.node('a'), { timeoutMs: 30 }), pair.initiator, 'b').catch((x: unknown) => x);
    expect((e as MeshError).message).toBe('timeout: handshake did not finish within 30 ms');
  });
});
