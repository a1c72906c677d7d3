// Attacks on a protocol variant. Each runs the real handshake and
// channel code in process, with the given MeshProtocol on the side under
// test, and returns a Verdict: `pass` when the defence held. The reference
// protocol passes all of them; each mutant in test/mutants/mesh/ fails the
// check built to catch it (docs/mesh.md).
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { fail, pass, type Verdict } from '../../src/check/evidence.ts';
import { Channel } from '../../src/mesh/protocol/channel.ts';
import { reasonOf } from '../../src/mesh/protocol/errors.ts';
import { initiate, respond, type HandshakeConfig, type HandshakeConn, type HandshakeResult } from '../../src/mesh/protocol/handshake.ts';
import { createCa, issueNode, trustAnchor, type Identity } from '../../src/mesh/protocol/certificate.ts';
import type { MeshProtocol } from '../../src/mesh/protocol/seams.ts';
import { referenceProtocol } from '../../src/mesh/protocol/seams.ts';
import { bindCipherSuites, type CipherSuiteName } from '../../src/mesh/protocol/ciphersuites.ts';
import { FrameType, encodeRecord, type Frame, type SealedRecord } from '../../src/mesh/protocol/wire.ts';
import { fuzzFrames } from './fuzz-frames.ts';
import { memoryPair } from './memory-pair.ts';
import { fuzzHandshakes } from './fuzz-handshake.ts';

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
    cached = {
      backend,
      ca,
      alice: issueNode(ca, 'alice', backend),
      bob: issueNode(ca, 'bob', backend),
      mallory: issueNode(ca, 'mallory', backend),
    };
  }
  return cached;
}

function config(p: Pki, identity: Identity, protocol: MeshProtocol): HandshakeConfig {
  return {
    identity,
    trust: trustAnchor(p.ca.certificate, p.backend),
    suites: bindCipherSuites(p.backend),
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
  const { initiator: a, responder: b } = memoryPair();
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
export async function checkForgedAccept(protocol: MeshProtocol): Promise<Verdict> {
  const p = pki();
  const impostor: Identity = { certificate: p.bob.certificate, keys: { ...p.mallory.keys, nodeId: 'bob' } };
  const { initiator: a, responder: b } = memoryPair();
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
  return fail('a forged ACCEPT was accepted: session established with an impostor holding only the victim certificate', {
    attack: 'forged ACCEPT',
  });
}

/**
 * The mirror image of the forged ACCEPT: Mallory dials Bob presenting Alice's
 * (public) certificate and signs FINISH with her own key. Bob runs the
 * protocol under test and must refuse with `bad_signature`; otherwise he
 * holds a session he believes is with Alice.
 */
export async function checkForgedFinish(protocol: MeshProtocol): Promise<Verdict> {
  const p = pki();
  const impostor: Identity = { certificate: p.alice.certificate, keys: { ...p.mallory.keys, nodeId: 'alice' } };
  const { initiator: a, responder: b } = memoryPair();
  const initiator = initiate(config(p, impostor, referenceProtocol), a, 'bob').catch((e: unknown) => e);
  const attack = 'forged FINISH (victim certificate, impostor key)';
  try {
    const session = await respond(config(p, p.bob, protocol), b);
    return fail(
      `a forged FINISH was accepted: the responder holds a session with "${session.peer.nodeId}", really an impostor holding only the victim certificate`,
      { attack },
    );
  } catch (e) {
    const reason = reasonOf(e);
    const impostorSide = await initiator;
    const evidence = { attack, refusedWith: reason, impostorCompleted: !(impostorSide instanceof Error) };
    return reason === 'bad_signature' ? pass(evidence) : fail(`forged FINISH refused with ${reason}, expected bad_signature`, evidence);
  }
}

/**
 * Seals the same plaintext at the same epoch and sequence number in both
 * directions. With separate direction keys the ciphertexts differ; equal
 * ones mean one key and nonce served both directions, so XOR of the two
 * streams leaks XOR of the plaintexts.
 */
export async function checkDirectionKeystreams(protocol: MeshProtocol): Promise<Verdict> {
  const { i, r } = await handshakePair(protocol);
  const ci = new Channel(i, () => protocol.newReplayWindow());
  const cr = new Channel(r, () => protocol.newReplayWindow());
  const data = new Uint8Array(64).fill(0x41);
  const fromI = ci.seal({ type: 'application', data });
  const fromR = cr.seal({ type: 'application', data });
  const body = (s: Uint8Array) => Buffer.from(s.subarray(0, s.length - 16)).toString('hex');
  const evidence = {
    epoch: fromI.epoch,
    seq: fromI.seq.toString(),
    i2r: body(fromI.sealed).slice(0, 32),
    r2i: body(fromR.sealed).slice(0, 32),
  };
  return body(fromI.sealed) === body(fromR.sealed)
    ? fail('both directions produced the same keystream for (epoch 0, seq 0): nonce reuse across directions', evidence)
    : pass(evidence);
}

/** Records delivered, in order, before the replays. */
const REPLAY_RECORDS = 70;

/**
 * Replay defence beyond the immediate duplicate. The receiver (protocol under
 * test) gets 70 records in order; every one must be delivered. Then, refused
 * and never delivered:
 *  - an immediate duplicate, a replay of a record ten back and of the first (`replay`),
 *  - after a key update, a replay of an old-epoch record (`key_desync`),
 *    and of a record of the new epoch (`replay`).
 * A window remembering only the last sequence number, or none, fails here.
 */
export async function checkReplay(protocol: MeshProtocol): Promise<Verdict> {
  const { i, r } = await handshakePair(protocol);
  const sender = new Channel(i, () => referenceProtocol.newReplayWindow());
  const receiver = new Channel(r, () => protocol.newReplayWindow());
  const text = (s: string) => new TextEncoder().encode(s);
  const records = Array.from({ length: REPLAY_RECORDS }, (_, n) => sender.seal({ type: 'application', data: text(`pay ${n}`) }));
  const at = (rec: SealedRecord) => ({ epoch: rec.epoch, seq: rec.seq.toString() });

  for (const [n, rec] of records.entries()) {
    try {
      receiver.open(rec);
    } catch (e) {
      return fail(`a fresh record (seq ${n}) delivered in order was refused with ${reasonOf(e)}`, { seq: n });
    }
  }
  const highest = REPLAY_RECORDS - 1;
  const earlier = highest - 9;
  const checks: { name: string; record: SealedRecord; expected: 'replay' | 'key_desync' }[] = [
    { name: 'immediate duplicate of the last record', record: records[highest], expected: 'replay' },
    { name: `replay of record ${earlier} (highest ${highest})`, record: records[earlier], expected: 'replay' },
    { name: `replay of the first record (highest ${highest})`, record: records[0], expected: 'replay' },
  ];
  const refused: Record<string, unknown>[] = [];
  const attempt = (c: (typeof checks)[number]): Verdict | undefined => {
    let content: ReturnType<typeof receiver.open>;
    try {
      content = receiver.open(c.record);
    } catch (e) {
      const reason = reasonOf(e);
      if (reason === c.expected) {
        refused.push({ check: c.name, ...at(c.record), refusedWith: reason });
        return undefined;
      }
      return fail(`${c.name}: refused with ${reason}, expected ${c.expected}`, { replayed: at(c.record), refused });
    }
    const data = content.type === 'application' ? new TextDecoder().decode(content.data) : content.type;
    return fail(`${c.name}: a replayed record was delivered a second time ("${data}")`, { replayed: at(c.record), refused });
  };
  for (const c of checks) {
    const v = attempt(c);
    if (v) return v;
  }

  // Key update: the receiver moves to epoch 1 and takes a fresh window.
  try {
    receiver.open(sender.seal({ type: 'key_update', requestUpdate: false }));
  } catch (e) {
    return fail(`the KEY_UPDATE after the records was refused with ${reasonOf(e)}`, { refused });
  }
  const fresh = sender.seal({ type: 'application', data: text('pay after update') });
  try {
    receiver.open(fresh);
  } catch (e) {
    return fail(`the first record of epoch ${fresh.epoch} was refused with ${reasonOf(e)}`, { refused });
  }
  for (const c of [
    { name: 'old-epoch record replayed after a key update', record: records[highest], expected: 'key_desync' as const },
    { name: 'earlier old-epoch record replayed after a key update', record: records[earlier], expected: 'key_desync' as const },
    { name: 'new-epoch record replayed', record: fresh, expected: 'replay' as const },
  ]) {
    const v = attempt(c);
    if (v) return v;
  }
  return pass({ deliveredInOrder: REPLAY_RECORDS, refused });
}

/**
 * Exactly-once needs in-order receipt: a path that drops or reorders records
 * must be detected, not absorbed. On a fresh channel the receiver (protocol
 * under test) gets records 0, 2 (1 dropped): refused `record_gap`, 2 not
 * delivered; then 1, 2 in order: delivered; then 4 before 3 (reordered):
 * refused `record_gap`; then 3, 4. A window that accepts any fresh sequence
 * number (the RFC 4303 sliding window) fails here.
 */
export async function checkRecordOrder(protocol: MeshProtocol): Promise<Verdict> {
  const { i, r } = await handshakePair(protocol);
  const sender = new Channel(i, () => referenceProtocol.newReplayWindow());
  const receiver = new Channel(r, () => protocol.newReplayWindow());
  const recs = Array.from({ length: 5 }, (_, n) => sender.seal({ type: 'application', data: new TextEncoder().encode(`m${n}`) }));
  const steps: { seq: number; expect: 'delivered' | 'record_gap' }[] = [
    { seq: 0, expect: 'delivered' },
    { seq: 2, expect: 'record_gap' },
    { seq: 1, expect: 'delivered' },
    { seq: 2, expect: 'delivered' },
    { seq: 4, expect: 'record_gap' },
    { seq: 3, expect: 'delivered' },
    { seq: 4, expect: 'delivered' },
  ];
  const seen: { seq: number; outcome: string }[] = [];
  for (const step of steps) {
    let outcome: string;
    try {
      receiver.open(recs[step.seq]);
      outcome = 'delivered';
    } catch (e) {
      outcome = reasonOf(e);
    }
    seen.push({ seq: step.seq, outcome });
    if (outcome !== step.expect)
      return fail(`record ${step.seq} was ${outcome === 'delivered' ? 'delivered' : `refused with ${outcome}`}, expected ${step.expect}`, {
        steps: seen,
      });
  }
  return pass({ steps: seen });
}

/**
 * Random and mutated frames (real HELLO, ACCEPT, FINISH and records, bit
 * flips, cuts, random tails, random chunking) through every decoder and the
 * AEAD open: each must be refused with a MeshError, never crash.
 */
export async function checkGarbageFrames(protocol: MeshProtocol, runs: number, seed: number): Promise<Verdict> {
  const frames: Frame[] = [];
  const { i, r } = await handshakePair(protocol, frames);
  const sender = new Channel(i, () => protocol.newReplayWindow());
  const receiver = new Channel(r, () => protocol.newReplayWindow());
  const records = ['hello', ''].map(
    (text) =>
      ({ type: FrameType.RECORD, body: encodeRecord(sender.seal({ type: 'application', data: new TextEncoder().encode(text) })) }) as Frame,
  );
  return fuzzFrames({ runs, seed, corpus: [...frames, ...records], channel: receiver });
}

/** Per-side handshake deadline in the handshake fuzzer: a hang shows up as `timeout`, which fails the run. */
const FUZZ_HANDSHAKE_TIMEOUT_MS = 5000;

/**
 * Hostile HELLO / ACCEPT / FINISH frames against live handshakes: both sides
 * run the protocol under test between Alice and Bob, and one frame per run is
 * rewritten in flight (bit flips, truncation, random bodies, retyped frames,
 * edited or swapped fields), seeded by fast-check. Every side must end in a
 * MeshError or a session with its honest peer, within the deadline. Bob
 * accepts every suite, so suite choice sees reordered and unknown offers too;
 * most runs use the classical suite because ML-DSA signing dominates the cost.
 */
export async function checkHandshakeGarbage(protocol: MeshProtocol, runs: number, seed: number): Promise<Verdict> {
  const p = pki();
  const side = (identity: Identity, offer: readonly CipherSuiteName[]): HandshakeConfig => ({
    ...config(p, identity, protocol),
    offer,
    accepts: () => true,
    timeoutMs: FUZZ_HANDSHAKE_TIMEOUT_MS,
  });
  return fuzzHandshakes({
    runs,
    seed,
    offers: [
      { offer: ['X25519-ED25519'], weight: 16 },
      { offer: ['XWING-MLDSA65', 'MLKEM1024-MLDSA87', 'X25519-ED25519'], weight: 2 },
      { offer: ['MLKEM1024-MLDSA87', 'XWING-MLDSA65'], weight: 1 },
    ],
    ids: { initiator: 'alice', responder: 'bob' },
    start: (offer, conns) => ({
      initiator: initiate(side(p.alice, offer), conns.initiator, 'bob'),
      responder: respond(side(p.bob, offer), conns.responder),
    }),
  });
}
