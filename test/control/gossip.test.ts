import { beforeAll, describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { ManualClock } from '../../src/mesh/control/clock.ts';
import { decodeSignedGossip, encodeSignedGossip, GossipReceiver, SequenceWindow, signGossip } from '../../src/mesh/control/gossip.ts';
import { controlSigner, memberSet, SignerDirectory, type ControlSigner } from '../../src/mesh/control/members.ts';
import { controlPki, type ControlPki } from '../../suites/control/cluster.ts';

let backend: CryptoBackend;
let pki: ControlPki;
let n1: ControlSigner;
let n2: ControlSigner;
beforeAll(async () => {
  backend = await loadBackend('liboqs');
  pki = controlPki(backend, 3);
  n1 = controlSigner(pki.identities.get('node-1')!, backend);
  n2 = controlSigner(pki.identities.get('node-2')!, backend);
});

function receiver(clock = new ManualClock(pki.issuedAt)) {
  const members = memberSet(0, ['node-1', 'node-2', 'node-3']);
  return {
    clock,
    r: new GossipReceiver({ directory: new SignerDirectory(pki.trust, clock), members: () => members, clock, maxSkewMs: 1000 }),
  };
}

const msg = (signer: ControlSigner, seq: bigint, timestamp: number) =>
  encodeSignedGossip(signGossip(signer, { seq, timestamp, kind: 1, payload: new Uint8Array([1, 2, 3]) }));

describe('gossip encoding', () => {
  it('round-trips and refuses trailing bytes and truncation', () => {
    const bytes = msg(n1, 5n, 1234);
    const m = decodeSignedGossip(bytes);
    expect([m.origin, m.seq, m.timestamp, m.kind, [...m.payload]]).toEqual(['node-1', 5n, 1234, 1, [1, 2, 3]]);
    expect(() => decodeSignedGossip(new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
    expect(() => decodeSignedGossip(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });
});

describe('SequenceWindow', () => {
  it('accepts reordering inside 64, refuses duplicates and anything older', () => {
    const w = new SequenceWindow();
    for (const s of [5n, 3n, 70n]) {
      expect(w.classify(s)).toBeUndefined();
      w.record(s);
    }
    expect(w.classify(70n)).toBe('duplicate');
    expect(w.classify(5n)).toBe('stale_sequence');
    expect(w.classify(7n)).toBeUndefined();
    expect(w.classify(69n)).toBeUndefined();
  });
});

describe('GossipReceiver', () => {
  it('accepts a fresh message once and counts the replay as a duplicate', () => {
    const { clock, r } = receiver();
    const bytes = msg(n1, 1n, clock.now());
    expect(r.receive(bytes, 'node-1').accepted).toBe(true);
    expect(r.receive(bytes, 'node-3')).toMatchObject({ accepted: false, reason: 'duplicate' });
    expect(r.counters()).toMatchObject({ accepted: 1, standing: { 'node-1': { accepted: 1 } } });
    expect(r.counters().dropped.duplicate).toBe(1);
  });

  it('verifies before it reads the sequence: a forged high sequence does not block the origin', () => {
    const { clock, r } = receiver();
    const forged = decodeSignedGossip(msg(n2, 1n << 40n, clock.now()));
    const claimingNode1 = encodeSignedGossip({
      ...forged,
      origin: 'node-1',
      certificate: pki.identities.get('node-1')!.certificate.encoded,
    });
    expect(r.receive(claimingNode1, 'mallory')).toMatchObject({ accepted: false, reason: 'bad_signature' });
    expect(r.receive(msg(n1, 1n, clock.now()), 'node-1').accepted).toBe(true);
    expect(r.counters().droppedVia).toEqual({ mallory: 1 });
    expect(r.counters().standing['node-1'].accepted).toBe(1);
  });

  it('drops a timestamp outside the skew without consuming the sequence', () => {
    const { clock, r } = receiver();
    expect(r.receive(msg(n1, 9n, clock.now() - 5000), 'node-1')).toMatchObject({ reason: 'stale_timestamp' });
    expect(r.receive(msg(n1, 9n, clock.now()), 'node-1').accepted).toBe(true);
  });

  it('names non-members, other CAs and garbage', () => {
    const { clock, r } = receiver();
    const outsider = controlSigner(pki.identities.get('outsider')!, backend);
    expect(r.receive(msg(outsider, 1n, clock.now()), 'x')).toMatchObject({ reason: 'non_member' });
    expect(r.receive(msg(controlSigner(pki.rogue, backend), 1n, clock.now()), 'x')).toMatchObject({ reason: 'unknown_ca' });
    expect(r.receive(new Uint8Array([9, 9, 9]), 'x')).toMatchObject({ reason: 'malformed' });
  });
});

describe('SequenceWindow edges (docs/control-plane.md: 64 behind the highest)', () => {
  it('refuses sequence 0 and exactly 64 behind, takes 63 behind, and records late arrivals', () => {
    const w = new SequenceWindow();
    expect(w.classify(0n)).toBe('stale_sequence');
    w.record(10n);
    w.record(8n);
    expect([w.classify(10n), w.classify(8n), w.classify(9n)]).toEqual(['duplicate', 'duplicate', undefined]);
    w.record(12n);
    expect([w.classify(10n), w.classify(8n), w.classify(11n)]).toEqual(['duplicate', 'duplicate', undefined]);
    w.record(12n + 63n);
    expect(w.classify(12n)).toBe('duplicate');
    expect(w.classify(11n)).toBe('stale_sequence');
    w.record(12n + 63n + 64n);
    expect(w.classify(12n + 63n)).toBe('stale_sequence');
  });
});

describe('gossip decoding names what is wrong', () => {
  it('refuses another version and a message cut in a field', () => {
    const bytes = msg(n1, 5n, 1234);
    expect(() => decodeSignedGossip(Uint8Array.of(2, ...bytes.subarray(1)))).toThrow('bad_frame: gossip version 2');
    expect(() => decodeSignedGossip(new Uint8Array(0))).toThrow('truncated at gossip.version');
    expect(() => decodeSignedGossip(bytes.subarray(0, 3))).toThrow('truncated at gossip.origin');
    expect(() => decodeSignedGossip(new Uint8Array([...bytes, 0]))).toThrow('1 trailing bytes after gossip');
  });
});
