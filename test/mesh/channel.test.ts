import { describe, expect, it } from 'vitest';
import { InOrderWindow } from '../../src/mesh/protocol/channel.ts';
import { reasonOf } from '../../src/mesh/protocol/errors.ts';
import { catching, channelSession } from '../support/channel-session.ts';
import { makePki } from '../support/pki.ts';

const pki = makePki();
const session = () => channelSession(pki);

const text = (s: string) => new TextEncoder().encode(s);

describe('channel', () => {
  it('carries records in both directions', async () => {
    const { ci, cr } = await session();
    expect(cr.open(ci.seal({ type: 'application', data: text('ping') }))).toEqual({ type: 'application', data: text('ping') });
    expect(ci.open(cr.seal({ type: 'application', data: text('pong') }))).toEqual({ type: 'application', data: text('pong') });
  });

  it('refuses a replayed record and one reflected back to its sender', async () => {
    const { ci, cr } = await session();
    const rec = ci.seal({ type: 'application', data: text('x') });
    cr.open(rec);
    expect(reasonOf(catching(() => cr.open(rec)))).toBe('replay');
    expect(reasonOf(catching(() => ci.open(ci.seal({ type: 'application', data: text('y') }))))).toBe('bad_record');
  });

  it('moves both sides to the next epoch on KEY_UPDATE and reports a stale epoch as key_desync', async () => {
    const { ci, cr } = await session();
    const old = ci.seal({ type: 'application', data: text('before') });
    cr.open(old);
    cr.open(ci.seal({ type: 'key_update', requestUpdate: true }));
    expect(ci.sendEpoch).toBe(1);
    expect(cr.recvEpoch).toBe(1);
    expect(cr.open(ci.seal({ type: 'application', data: text('after') }))).toEqual({ type: 'application', data: text('after') });
    expect(reasonOf(catching(() => cr.open(old)))).toBe('key_desync');
  });

  it('a record under a future epoch is a forgery (bad_record), not key_desync', async () => {
    const { ci, cr } = await session();
    const rec = ci.seal({ type: 'application', data: text('x') });
    expect(reasonOf(catching(() => cr.open({ ...rec, epoch: 7 })))).toBe('bad_record');
    expect(reasonOf(catching(() => cr.open({ ...rec, epoch: 1 })))).toBe('bad_record');
  });

  it('a dropped KEY_UPDATE is a record_gap: the next epoch authenticates under the derived key', async () => {
    const { ci, cr } = await session();
    ci.seal({ type: 'key_update', requestUpdate: false }); // dropped on the path
    expect(reasonOf(catching(() => cr.open(ci.seal({ type: 'application', data: text('after') }))))).toBe('record_gap');
  });

  it('delivers strictly in order: a dropped or reordered record is a record_gap and is not delivered', async () => {
    const { ci, cr } = await session();
    const [r0, r1, r2] = ['a', 'b', 'c'].map((t) => ci.seal({ type: 'application', data: text(t) }));
    cr.open(r0);
    expect(reasonOf(catching(() => cr.open(r2)))).toBe('record_gap');
    // The gap did not move the window: the missing record is still the one expected.
    expect(cr.open(r1)).toEqual({ type: 'application', data: text('b') });
  });

  it('carries heartbeats and alerts inside the channel', async () => {
    const { ci, cr } = await session();
    expect(cr.open(ci.seal({ type: 'heartbeat' }))).toEqual({ type: 'heartbeat' });
    const alert = { reason: 'bad_frame' as const, message: 'sealed' };
    expect(cr.open(ci.seal({ type: 'alert', alert }))).toEqual({ type: 'alert', alert });
  });

  it('detects a tampered sequence number (AAD binding) as bad_record', async () => {
    const { ci, cr } = await session();
    const rec = ci.seal({ type: 'application', data: text('x') });
    expect(reasonOf(catching(() => cr.open({ ...rec, seq: 5n })))).toBe('bad_record');
  });

  it('asks for a key update after the frame budget', async () => {
    const { ci } = await session();
    for (let k = 0; k < 3; k++) ci.seal({ type: 'application', data: text('x') });
    expect(ci.keyUpdateDue({ afterFrames: 3, afterMs: 1e9 })).toBe(true);
    ci.seal({ type: 'key_update', requestUpdate: false });
    expect(ci.keyUpdateDue({ afterFrames: 3, afterMs: 1e9 })).toBe(false);
  });

  it('the in-order window takes exactly the next sequence number', () => {
    const w = new InOrderWindow();
    w.check(0n);
    w.accept(0n);
    expect(reasonOf(catching(() => w.check(0n)))).toBe('replay');
    w.check(2n);
    expect(reasonOf(catching(() => w.accept(2n)))).toBe('record_gap');
    w.accept(1n);
    expect(reasonOf(catching(() => w.check(1n)))).toBe('replay');
  });
});
