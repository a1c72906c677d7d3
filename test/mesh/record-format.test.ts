// The key schedule and the record layer byte for byte against a second
// implementation written from docs/mesh.md §3-§4 (test/support/spec-records.ts,
// on node:crypto), and the strict decoding of record contents. Channels are
// built straight from keys, without a handshake, so these run in milliseconds
// (they are part of the mutation run, docs/mutation.md).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Channel, InOrderWindow, type Content } from '../../src/mesh/protocol/channel.ts';
import { FAILURE_REASONS, MeshError } from '../../src/mesh/protocol/errors.ts';
import {
  confirmationMac,
  deriveHandshakeSecrets,
  macsEqual,
  nextTrafficSecret,
  separateDirectionSecrets,
  trafficKey,
} from '../../src/mesh/protocol/keys.ts';
import { MAX_PAYLOAD_BYTES } from '../../src/mesh/protocol/wire.ts';
import { catching } from '../support/channel-session.ts';
import {
  bytesOf,
  expandLabel,
  field,
  hkdfExtract,
  specContent,
  specOpen,
  specSeal,
  u32,
  type SpecDirection,
} from '../support/spec-records.ts';

const sessionId = bytesOf('session id', 16);
const i2r = bytesOf('i2r secret', 32);
const r2i = bytesOf('r2i secret', 32);
const toResponder: SpecDirection = { sessionId, direction: 0, secret: i2r };
const toInitiator: SpecDirection = { sessionId, direction: 1, secret: r2i };

function pair(now: () => number = () => 0) {
  const window = () => new InOrderWindow();
  return {
    initiator: new Channel({ role: 'initiator', sessionId, sendSecret: i2r, recvSecret: r2i }, window, now),
    responder: new Channel({ role: 'responder', sessionId, sendSecret: r2i, recvSecret: i2r }, window, now),
  };
}

const text = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

function meshError(f: () => unknown): MeshError {
  const e = catching(f);
  expect(e).toBeInstanceOf(MeshError);
  return e as MeshError;
}

describe('key schedule (docs/mesh.md §3)', () => {
  it('is HKDF-SHA256 over the KEM secret salted with the transcript, with the spec labels', () => {
    const ss = bytesOf('kem secret', 32);
    const th = bytesOf('transcript hash', 32);
    const prk = hkdfExtract(th, ss);
    expect(deriveHandshakeSecrets(ss, th, separateDirectionSecrets)).toEqual({
      sessionId: expandLabel(prk, 'session id', 16),
      responderConfirm: expandLabel(prk, 'r confirm'),
      initiatorConfirm: expandLabel(prk, 'i confirm'),
      initiatorToResponder: expandLabel(prk, 'i2r traffic'),
      responderToInitiator: expandLabel(prk, 'r2i traffic'),
    });
  });

  it('derives per-epoch keys and the next epoch secret from the traffic secret', () => {
    expect(trafficKey(i2r)).toEqual({ key: expandLabel(i2r, 'key', 32), iv: expandLabel(i2r, 'iv', 12) });
    expect(nextTrafficSecret(i2r)).toEqual(expandLabel(i2r, 'key update'));
  });

  it('confirms with HMAC-SHA256 and compares MACs of any length without throwing', () => {
    const th = bytesOf('transcript hash', 32);
    const mac = confirmationMac(i2r, th);
    expect(mac).toEqual(new Uint8Array(createHmac('sha256', i2r).update(th).digest()));
    expect(macsEqual(mac, Uint8Array.from(mac))).toBe(true);
    const flipped = Uint8Array.from(mac);
    flipped[31] ^= 1;
    expect(macsEqual(mac, flipped)).toBe(false);
    expect(macsEqual(mac, mac.subarray(0, 31))).toBe(false);
    expect(macsEqual(mac.subarray(0, 31), mac)).toBe(false);
  });
});

describe('records (docs/mesh.md §4)', () => {
  const alert = { reason: 'bad_frame' as const, message: 'sealed' };
  const contents: [Content, Uint8Array][] = [
    [{ type: 'application', data: text('ping') }, specContent.application(text('ping'))],
    [{ type: 'application', data: new Uint8Array(0) }, specContent.application(new Uint8Array(0))],
    [{ type: 'heartbeat' }, specContent.heartbeat()],
    [{ type: 'alert', alert }, specContent.alert(FAILURE_REASONS.indexOf('bad_frame'), 'sealed')],
    [{ type: 'key_update', requestUpdate: true }, specContent.keyUpdate(1)],
  ];

  it('the initiator seals what the spec seals: direction 0, nonce iv XOR seq, AAD session id | direction | epoch | seq', () => {
    const { initiator } = pair();
    contents.forEach(([content, plain], k) => {
      expect(initiator.seal(content)).toEqual({ epoch: 0, seq: BigInt(k), sealed: specSeal(toResponder, 0, BigInt(k), plain) });
    });
    // After its KEY_UPDATE the sender is in epoch 1, numbering from 0 under Expand(secret, "key update").
    expect(initiator.sendEpoch).toBe(1);
    expect(initiator.seal(contents[0][0])).toEqual({ epoch: 1, seq: 0n, sealed: specSeal(toResponder, 1, 0n, contents[0][1]) });
    expect(initiator.seal({ type: 'key_update', requestUpdate: false })).toEqual({
      epoch: 1,
      seq: 1n,
      sealed: specSeal(toResponder, 1, 1n, specContent.keyUpdate(0)),
    });
  });

  it('the responder seals with direction 1 and its own secret', () => {
    const { responder } = pair();
    const rec = responder.seal({ type: 'application', data: text('pong') });
    expect(specOpen(toInitiator, 0, 0n, rec.sealed)).toEqual(specContent.application(text('pong')));
  });

  it('opens what the spec sealed, across a key update, and tells request_update 0 from 1', () => {
    const { responder } = pair();
    const open = (epoch: number, seq: bigint, plain: Uint8Array) =>
      responder.open({ epoch, seq, sealed: specSeal(toResponder, epoch, seq, plain) });
    expect(open(0, 0n, specContent.application(text('hi')))).toEqual({ type: 'application', data: text('hi') });
    expect(open(0, 1n, specContent.alert(FAILURE_REASONS.indexOf('timeout'), 'late'))).toEqual({
      type: 'alert',
      alert: { reason: 'timeout', message: 'late' },
    });
    expect(open(0, 2n, specContent.keyUpdate(0))).toEqual({ type: 'key_update', requestUpdate: false });
    expect(responder.recvEpoch).toBe(1);
    expect(open(1, 0n, specContent.heartbeat())).toEqual({ type: 'heartbeat' });
    expect(open(1, 1n, specContent.keyUpdate(1))).toEqual({ type: 'key_update', requestUpdate: true });
    expect(open(2, 0n, specContent.application(text('e2')))).toEqual({ type: 'application', data: text('e2') });
  });

  it('carries an application payload up to MAX_PAYLOAD_BYTES + 64 (a DATA message and its header)', () => {
    const { responder } = pair();
    const data = new Uint8Array(MAX_PAYLOAD_BYTES + 64).fill(0xa5);
    const rec = { epoch: 0, seq: 0n, sealed: specSeal(toResponder, 0, 0n, specContent.application(data)) };
    expect(responder.open(rec)).toEqual({ type: 'application', data });
  });

  // §2.2.1, §2.2.3, §2.2.4 inside the AEAD: authentic but malformed contents are bad_frame, naming the field.
  it.each<[string, Uint8Array, RegExp]>([
    ['KEY_UPDATE flag 2', Uint8Array.of(2, 2), /KEY_UPDATE flag must be 0 or 1/],
    ['a byte after KEY_UPDATE', Uint8Array.of(2, 1, 0), /1 trailing bytes after KEY_UPDATE/],
    ['a byte after HEARTBEAT', Uint8Array.of(3, 0), /1 trailing bytes after HEARTBEAT/],
    [
      'two bytes after APPLICATION',
      concat(specContent.application(text('x')), Uint8Array.of(0, 0)),
      /2 trailing bytes after application content/,
    ],
    ['a byte after ALERT', concat(specContent.alert(0, 'x'), Uint8Array.of(0)), /1 trailing bytes after ALERT content/],
    ['content type 5', Uint8Array.of(5), /unknown content type 5/],
    ['content type 0', Uint8Array.of(0, 1), /unknown content type 0/],
    ['no content type', new Uint8Array(0), /truncated at content\.type/],
    ['KEY_UPDATE without its flag', Uint8Array.of(2), /truncated at content\.requestUpdate/],
    ['an APPLICATION length cut short', Uint8Array.of(1, 0, 0), /truncated at content\.data/],
    ['an APPLICATION over the limit', concat(Uint8Array.of(1), u32(MAX_PAYLOAD_BYTES + 65)), /content\.data of 65601 bytes exceeds 65600/],
    ['an ALERT over 2048 bytes', concat(Uint8Array.of(4), u32(2049)), /content\.alert of 2049 bytes exceeds 2048/],
    ['an ALERT of an unknown reason', concat(Uint8Array.of(4), field(Uint8Array.of(200, 0, 0, 0, 0))), /unknown alert reason 200/],
  ])('refuses %s with bad_frame', (_, plain, message) => {
    const { responder } = pair();
    const e = meshError(() => responder.open({ epoch: 0, seq: 0n, sealed: specSeal(toResponder, 0, 0n, plain) }));
    expect(e.reason).toBe('bad_frame');
    expect(e.message).toMatch(message);
  });
});

describe('record order and epochs, with the reason and the numbers in the message', () => {
  it('a replay and a gap name the sequence numbers', () => {
    const w = new InOrderWindow();
    w.accept(0n);
    expect(meshError(() => w.check(0n)).message).toBe('replay: sequence 0 is below the next expected 1');
    expect(meshError(() => w.accept(3n)).message).toBe(
      'record_gap: record 3 arrived while 1 was expected: records were dropped or reordered',
    );
  });

  it('a stale epoch is key_desync; a later one authentic under epoch+1 is record_gap; anything else later is bad_record', () => {
    const { responder } = pair();
    const sealed = (epoch: number, seq: bigint) => ({ epoch, seq, sealed: specSeal(toResponder, epoch, seq, specContent.heartbeat()) });
    // Authentic under epoch 1 while epoch 0 is current: its KEY_UPDATE was dropped (§4.1.6).
    expect(meshError(() => responder.open(sealed(1, 0n))).message).toBe(
      'record_gap: record of epoch 1 before the KEY_UPDATE ending epoch 0: it was dropped',
    );
    // Authentic under epoch 2, or under epoch 0 but labelled 1: neither authenticates under epoch+1 (§4.1.5).
    // And one labelled epoch 2 under epoch 1's key: the next key, but not the next epoch.
    const skipped = { epoch: 2, seq: 0n, sealed: specSeal(toResponder, 2, 0n, specContent.heartbeat(), 1) };
    for (const forged of [sealed(2, 0n), { ...sealed(0, 0n), epoch: 1 }, skipped]) {
      const e = meshError(() => responder.open(forged));
      expect(e.message).toBe(`bad_record: record under epoch ${forged.epoch} (current 0) does not authenticate: forged`);
    }
    responder.open({ epoch: 0, seq: 0n, sealed: specSeal(toResponder, 0, 0n, specContent.keyUpdate(0)) });
    expect(meshError(() => responder.open(sealed(0, 1n))).message).toBe('key_desync: record under epoch 0, expected epoch 1');
    const bad = { epoch: 1, seq: 0n, sealed: specSeal(toInitiator, 1, 0n, specContent.heartbeat()) };
    expect(meshError(() => responder.open(bad)).message).toBe('bad_record: record 0 of epoch 1 failed authentication');
  });

  it('asks for a key update once the sending key is afterMs old, counting from its epoch', () => {
    let now = 1_000;
    const { initiator } = pair(() => now);
    const policy = { afterFrames: 1_000, afterMs: 500 };
    now = 1_499;
    expect(initiator.keyUpdateDue(policy)).toBe(false);
    now = 1_500;
    expect(initiator.keyUpdateDue(policy)).toBe(true);
    initiator.seal({ type: 'key_update', requestUpdate: false });
    expect(initiator.keyUpdateDue(policy)).toBe(false);
    now = 2_000;
    expect(initiator.keyUpdateDue(policy)).toBe(true);
  });

  it('asks for a key update at the frame budget, not before', () => {
    const { initiator } = pair();
    const policy = { afterFrames: 2, afterMs: 1e9 };
    initiator.seal({ type: 'heartbeat' });
    expect(initiator.keyUpdateDue(policy)).toBe(false);
    initiator.seal({ type: 'heartbeat' });
    expect(initiator.keyUpdateDue(policy)).toBe(true);
  });
});
