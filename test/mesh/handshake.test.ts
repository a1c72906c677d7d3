import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initiate, respond, type HandshakeConfig } from '../../src/mesh/protocol/handshake.ts';
import { type MeshError, reasonOf } from '../../src/mesh/protocol/errors.ts';
import { FrameType, decodeAccept, decodeHello, encodeAccept, encodeHello } from '../../src/mesh/protocol/wire.ts';
import type { FramedConnection } from '../../src/mesh/node/connection.ts';
import { handshakeConfig, makePki, type TestPki } from '../support/pki.ts';
import { framedPair } from '../support/pipe.ts';
import { relayed } from '../support/relay.ts';

let pki: TestPki;
const cleanups: (() => void)[] = [];
beforeAll(() => {
  pki = makePki();
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function run(
  i: HandshakeConfig,
  r: HandshakeConfig,
  pair: { initiator: FramedConnection; responder: FramedConnection; close(): void },
  expectedPeer = r.identity.certificate.nodeId,
) {
  cleanups.push(pair.close);
  const settle = <T>(p: Promise<T>, conn: FramedConnection) =>
    p.then(
      (v) => ({ ok: v, reason: undefined, error: undefined }),
      (e: unknown) => {
        conn.fail(e);
        return { ok: undefined, reason: reasonOf(e), error: e as MeshError };
      },
    );
  const [a, b] = await Promise.all([
    settle(initiate(i, pair.initiator, expectedPeer), pair.initiator),
    settle(respond(r, pair.responder), pair.responder),
  ]);
  return { initiator: a, responder: b };
}

describe('handshake', () => {
  it('establishes matching per-direction secrets with the default suite', async () => {
    const out = await run(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.node('b')), await framedPair());
    const i = out.initiator.ok!;
    const r = out.responder.ok!;
    expect(i.suite.name).toBe('XWING-MLDSA65');
    expect(r.peer.nodeId).toBe('a');
    expect(i.peer.nodeId).toBe('b');
    expect(i.sessionId).toEqual(r.sessionId);
    expect(i.sendSecret).toEqual(r.recvSecret);
    expect(i.recvSecret).toEqual(r.sendSecret);
    expect(i.sendSecret).not.toEqual(i.recvSecret);
    expect(i.transcriptHash).toEqual(r.transcriptHash);
  });

  it('runs MLKEM1024-MLDSA87 when offered first', async () => {
    const out = await run(
      handshakeConfig(pki, pki.node('a'), { offer: ['MLKEM1024-MLDSA87'] }),
      handshakeConfig(pki, pki.node('b')),
      await framedPair(),
    );
    expect(out.initiator.ok?.suite.name).toBe('MLKEM1024-MLDSA87');
  });

  it('uses the classical suite only when the responder policy allows it', async () => {
    const offer = ['X25519-ED25519'] as const;
    const refused = await run(handshakeConfig(pki, pki.node('a'), { offer }), handshakeConfig(pki, pki.node('b')), await framedPair());
    expect(refused.responder.reason).toBe('policy');
    expect(refused.initiator.reason).toBe('policy');
    const allowed = await run(
      handshakeConfig(pki, pki.node('a'), { offer }),
      handshakeConfig(pki, pki.node('b'), { accepts: () => true }),
      await framedPair(),
    );
    expect(allowed.initiator.ok?.suite.name).toBe('X25519-ED25519');
  });

  it('refuses a certificate from another CA with unknown_ca, in both roles', async () => {
    const asInitiator = await run(handshakeConfig(pki, pki.rogue('a')), handshakeConfig(pki, pki.node('b')), await framedPair());
    expect(asInitiator.responder.reason).toBe('unknown_ca');
    expect(asInitiator.initiator.reason).toBe('unknown_ca');
    const asResponder = await run(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.rogue('b')), await framedPair());
    expect(asResponder.initiator.reason).toBe('unknown_ca');
  });

  it('refuses a responder that is not the node dialled', async () => {
    const out = await run(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.node('c')), await framedPair(), 'b');
    expect(out.initiator.reason).toBe('policy');
  });

  it('refuses an unconfigured initiator with policy', async () => {
    const out = await run(
      handshakeConfig(pki, pki.node('a')),
      handshakeConfig(pki, pki.node('b'), { isPeer: () => false }),
      await framedPair(),
    );
    expect(out.responder.reason).toBe('policy');
  });

  it('detects a suite stripped from HELLO as downgrade', async () => {
    const pair = await relayed((f) => {
      if (f.type !== FrameType.HELLO) return f;
      const h = decodeHello(f.body);
      return { type: f.type, body: encodeHello({ ...h, suites: h.suites.slice(0, 1) }) };
    });
    const out = await run(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.node('b')), pair);
    expect(out.initiator.reason).toBe('downgrade');
  });

  it('detects a stripped suite with a re-forged echo as bad_signature', async () => {
    let offered: number[] = [];
    const pair = await relayed((f) => {
      if (f.type === FrameType.HELLO) {
        const h = decodeHello(f.body);
        offered = h.suites;
        return { type: f.type, body: encodeHello({ ...h, suites: h.suites.slice(0, 1) }) };
      }
      if (f.type === FrameType.ACCEPT) {
        const a = decodeAccept(f.body);
        return { type: f.type, body: encodeAccept({ ...a, offeredSuites: offered }) };
      }
      return f;
    });
    const out = await run(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.node('b')), pair);
    expect(out.initiator.reason).toBe('bad_signature');
  });

  it('refuses a forged ACCEPT (victim certificate, impostor key) with bad_signature', async () => {
    const victim = pki.node('b');
    const impostor = { certificate: victim.certificate, keys: { ...pki.node('mallory').keys, nodeId: 'b' } };
    const out = await run(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, impostor), await framedPair());
    expect(out.initiator.reason).toBe('bad_signature');
    expect(out.initiator.error?.message).toBe('bad_signature: ACCEPT signature of b does not verify');
  });

  it('refuses a forged FINISH (victim certificate, impostor key) at the responder with bad_signature', async () => {
    const victim = pki.node('a');
    const impostor = { certificate: victim.certificate, keys: { ...pki.node('mallory').keys, nodeId: 'a' } };
    const out = await run(handshakeConfig(pki, impostor), handshakeConfig(pki, pki.node('b')), await framedPair());
    expect(out.responder.reason).toBe('bad_signature');
    expect(out.responder.ok).toBeUndefined();
    expect(out.responder.error?.message).toBe('bad_signature: FINISH signature of a does not verify');
  });

  it('reports a wrong confirmation MAC as decap_mismatch', async () => {
    const pair = await relayed((f) => {
      if (f.type !== FrameType.ACCEPT) return f;
      const a = decodeAccept(f.body);
      const mac = Uint8Array.from(a.mac);
      mac[0] ^= 1;
      return { type: f.type, body: encodeAccept({ ...a, mac }) };
    });
    const out = await run(handshakeConfig(pki, pki.node('a')), handshakeConfig(pki, pki.node('b')), pair);
    expect(out.initiator.reason).toBe('decap_mismatch');
    expect(out.initiator.error?.message).toBe('decap_mismatch: ACCEPT key confirmation failed');
  });

  it('times out against a silent responder', async () => {
    const pair = await framedPair();
    cleanups.push(pair.close);
    const err = await initiate(handshakeConfig(pki, pki.node('a'), { timeoutMs: 200 }), pair.initiator, 'b').catch((e: unknown) => e);
    expect(reasonOf(err)).toBe('timeout');
  });

  it('closes on a garbage frame with bad_frame', async () => {
    const pair = await framedPair();
    cleanups.push(pair.close);
    const pending = respond(handshakeConfig(pki, pki.node('b')), pair.responder).catch((e: unknown) => e);
    pair.initiator.send(FrameType.HELLO, new Uint8Array([1, 2, 3]));
    expect(reasonOf(await pending)).toBe('bad_frame');
  });
});
