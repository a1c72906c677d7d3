// Attack probes against a protocol variant. Each runs the real handshake and
// channel code in process, with the given MeshProtocol on the side under
// test, and returns a Verdict: `pass` when the defence held. The reference
// protocol passes all three; each mutant in test/mutants/mesh/ fails one.
import type { CryptoBackend } from '../crypto/backend.ts';
import { createNobleBackend } from '../crypto/noble.ts';
import { fail, pass, type Verdict } from '../harness/evidence.ts';
import { Channel } from './channel.ts';
import { MeshError, reasonOf } from './errors.ts';
import { initiate, respond, type HandshakeConfig, type HandshakeConn, type HandshakeResult } from './handshake.ts';
import { createCa, issueNode, trustAnchor, type Identity } from './identity.ts';
import type { MeshProtocol } from './protocol.ts';
import { referenceProtocol } from './protocol.ts';
import { bindSuites } from './suites.ts';
import { FrameType, encodeRecord, type Frame } from './wire.ts';
import { fuzzFrames } from './fuzz.ts';

/** Two in-memory handshake connections joined back to back. */
export function memoryPair(): { a: HandshakeConn; b: HandshakeConn } {
  const end = () => {
    const inbox: Frame[] = [];
    let waiting: ((f: Frame) => void) | undefined;
    return {
      deliver(f: Frame) {
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w(f);
        } else inbox.push(f);
      },
      receive: () => {
        const f = inbox.shift();
        return f ? Promise.resolve(f) : new Promise<Frame>((r) => (waiting = r));
      },
    };
  };
  const ea = end();
  const eb = end();
  return {
    a: { send: (type: FrameType, body: Uint8Array) => eb.deliver({ type, body }), receive: ea.receive },
    b: { send: (type: FrameType, body: Uint8Array) => ea.deliver({ type, body }), receive: eb.receive },
  };
}

interface Pki {
  backend: CryptoBackend;
  ca: Identity;
  alice: Identity;
  bob: Identity;
  mallory: Identity;
}

let cached: Pki | undefined;
function pki(): Pki {
  if (!cached) {
    const backend = createNobleBackend();
    const ca = createCa('probe-mesh', backend);
    cached = { backend, ca, alice: issueNode(ca, 'alice', backend), bob: issueNode(ca, 'bob', backend), mallory: issueNode(ca, 'mallory', backend) };
  }
  return cached;
}

function config(p: Pki, identity: Identity, protocol: MeshProtocol): HandshakeConfig {
  return {
    identity,
    trust: trustAnchor(p.ca.certificate, p.backend),
    suites: bindSuites(p.backend),
    offer: ['XWING-MLDSA65'],
    accepts: (s) => !s.classical,
    isPeer: () => true,
    protocol,
    timeoutMs: 5000,
  };
}

/** Passes frames through while keeping a copy of each, to seed the fuzzer with real ones. */
function recording(conn: HandshakeConn, log: Frame[]): HandshakeConn {
  return {
    send(type, body) {
      log.push({ type, body: Uint8Array.from(body) });
      conn.send(type, body);
    },
    receive: () => conn.receive(),
  };
}

async function handshakePair(protocol: MeshProtocol, frames: Frame[] = []): Promise<{ i: HandshakeResult; r: HandshakeResult }> {
  const p = pki();
  const { a, b } = memoryPair();
  const [i, r] = await Promise.all([
    initiate(config(p, p.alice, protocol), recording(a, frames), 'bob'),
    respond(config(p, p.bob, protocol), recording(b, frames)),
  ]);
  return { i, r };
}

/**
 * Mallory answers a HELLO meant for Bob with Bob's (public) certificate and
 * signs the transcript with her own key. Only the transcript signature check
 * stands between this and a session with an impostor.
 */
export async function probeForgedAccept(protocol: MeshProtocol): Promise<Verdict> {
  const p = pki();
  const impostor: Identity = { certificate: p.bob.certificate, keys: { ...p.mallory.keys, nodeId: 'bob' } };
  const { a, b } = memoryPair();
  const responder = respond(config(p, impostor, referenceProtocol), b).catch(() => undefined);
  try {
    await initiate(config(p, p.alice, protocol), a, 'bob');
  } catch (e) {
    const reason = reasonOf(e);
    void responder;
    return reason === 'bad_signature'
      ? pass({ attack: 'forged ACCEPT (victim certificate, impostor key)', refusedWith: reason })
      : fail(`forged ACCEPT refused with ${reason}, expected bad_signature`, { refusedWith: reason });
  }
  return fail('a forged ACCEPT was accepted: session established with an impostor holding only the victim certificate', { attack: 'forged ACCEPT' });
}

/**
 * Seals the same plaintext at the same epoch and sequence number in both
 * directions. With separate direction keys the ciphertexts differ; equal
 * ones mean one key and nonce served both directions, so XOR of the two
 * streams leaks XOR of the plaintexts.
 */
export async function probeDirectionKeystreams(protocol: MeshProtocol): Promise<Verdict> {
  const { i, r } = await handshakePair(protocol);
  const ci = new Channel(i, () => protocol.newReplayWindow());
  const cr = new Channel(r, () => protocol.newReplayWindow());
  const data = new Uint8Array(64).fill(0x41);
  const fromI = ci.seal({ type: 'application', data });
  const fromR = cr.seal({ type: 'application', data });
  const body = (s: Uint8Array) => Buffer.from(s.subarray(0, s.length - 16)).toString('hex');
  const evidence = { epoch: fromI.epoch, seq: fromI.seq.toString(), i2r: body(fromI.sealed).slice(0, 32), r2i: body(fromR.sealed).slice(0, 32) };
  return body(fromI.sealed) === body(fromR.sealed)
    ? fail('both directions produced the same keystream for (epoch 0, seq 0): nonce reuse across directions', evidence)
    : pass(evidence);
}

/** Delivers one record twice; the second must be refused as `replay`. */
export async function probeReplay(protocol: MeshProtocol): Promise<Verdict> {
  const { i, r } = await handshakePair(protocol);
  const sender = new Channel(i, () => protocol.newReplayWindow());
  const receiver = new Channel(r, () => protocol.newReplayWindow());
  const record = sender.seal({ type: 'application', data: new TextEncoder().encode('pay 10') });
  receiver.open(record);
  try {
    receiver.open(record);
  } catch (e) {
    if (e instanceof MeshError && e.reason === 'replay') return pass({ replayed: { epoch: record.epoch, seq: record.seq.toString() }, refusedWith: 'replay' });
    return fail(`replayed record refused with ${reasonOf(e)}, expected replay`);
  }
  return fail('a replayed record was delivered a second time', { replayed: { epoch: record.epoch, seq: record.seq.toString() } });
}

/**
 * Random and mutated frames (real HELLO, ACCEPT, FINISH and records, bit
 * flips, cuts, random tails, random chunking) through every decoder and the
 * AEAD open: each must be refused with a MeshError, never crash.
 */
export async function probeGarbageFrames(protocol: MeshProtocol, runs: number, seed: number): Promise<Verdict> {
  const frames: Frame[] = [];
  const { i, r } = await handshakePair(protocol, frames);
  const sender = new Channel(i, () => protocol.newReplayWindow());
  const receiver = new Channel(r, () => protocol.newReplayWindow());
  const records = ['hello', ''].map(
    (text) => ({ type: FrameType.RECORD, body: encodeRecord(sender.seal({ type: 'application', data: new TextEncoder().encode(text) })) }) as Frame,
  );
  return fuzzFrames({ runs, seed, corpus: [...frames, ...records], channel: receiver });
}

export const PROTOCOL_PROBES = {
  'forged-accept': probeForgedAccept,
  'direction-keystreams': probeDirectionKeystreams,
  replay: probeReplay,
} as const;
