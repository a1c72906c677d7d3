// Channel records with the attacker in the path (docs/mesh.md §4): replays,
// loss, reordering, tampering, reflection and records of another session,
// then key desynchronisation around KEY_UPDATE and peer restarts. Each
// stream stops at the first refusal, as the session closes there.
import { fail, pass, type Verdict } from '../../../src/check/evidence.ts';
import { Channel, type Content } from '../../../src/mesh/protocol/channel.ts';
import { reasonOf } from '../../../src/mesh/protocol/errors.ts';
import { FrameType, decodeRecord, encodeRecord, type Frame } from '../../../src/mesh/protocol/wire.ts';
import { Attacker, drop, duplicate, frameOf, replaceWith, rewrite, type InFlight, type Rule } from '../attacker/attacker.ts';
import { BYTES_FIELDS, editRecord, flipBit } from '../attacker/fields.ts';
import type { NegativeCheck } from '../clause.ts';
import { attackedHandshake, type Outcome, type Subject } from '../scenario.ts';
import { referenceProtocol } from '../../../src/mesh/protocol/seams.ts';

const text = (s: string) => new TextEncoder().encode(s);
const app = (n: number): Content => ({ type: 'application', data: text(`m${n}`) });
const KEY_UPDATE: Content = { type: 'key_update', requestUpdate: false };
const nth = (n: number) => frameOf('i2r', FrameType.RECORD, n);
const sealedField = BYTES_FIELDS.find((f) => f.message === 'RECORD')!;

interface Pair {
  sender: Channel;
  receiver: Channel;
}

/** A fresh session between Alice (sender, the reference) and Bob (receiver, the subject). */
async function pair(s: Subject): Promise<Pair> {
  const run = await attackedHandshake(s, { attacker: new Attacker() });
  const { initiator: i, responder: r } = run.sessions;
  if (!i || !r) throw new Error(`the honest handshake failed (${run.initiator} / ${run.responder})`);
  return {
    sender: new Channel(i, () => referenceProtocol.newReplayWindow()),
    receiver: new Channel(r, () => s.protocol.newReplayWindow()),
  };
}

export interface StreamResult {
  delivered: string[];
  /** The reason the receiver closed with, or `ok` when every frame was taken. */
  ended: Outcome;
  frames: string[];
}

/** Seals the contents in order, passes each RECORD through the attacker, opens what arrives. */
export function stream(p: Pair, contents: readonly Content[], attacker: Attacker): StreamResult {
  const { initiator } = attacker.conns();
  const delivered: string[] = [];
  for (const c of contents) {
    initiator.send(FrameType.RECORD, encodeRecord(p.sender.seal(c)));
    for (const f of attacker.drain('responder')) {
      try {
        const got = p.receiver.open(decodeRecord(f.body));
        delivered.push(got.type === 'application' ? new TextDecoder().decode(got.data) : got.type);
      } catch (e) {
        return { delivered, ended: reasonOf(e), frames: attacker.trace() };
      }
    }
  }
  return { delivered, ended: 'ok', frames: attacker.trace() };
}

function expectStream(r: StreamResult, delivered: string[], ended: Outcome, attack: string): Verdict {
  const evidence = { attack, delivered: r.delivered, ended: r.ended, expected: { delivered, ended }, frames: r.frames };
  const same = r.delivered.length === delivered.length && r.delivered.every((d, i) => d === delivered[i]);
  if (same && r.ended === ended) return pass(evidence);
  return fail(
    `${attack}: the receiver delivered [${r.delivered.join(', ')}] and ${r.ended === 'ok' ? 'stayed open' : `closed with ${r.ended}`}; expected [${delivered.join(', ')}] and ${ended === 'ok' ? 'open' : ended}`,
    evidence,
  );
}

const msgs = (n: number) => Array.from({ length: n }, (_, i) => app(i));
const names = (...n: number[]) => n.map((i) => `m${i}`);
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

/** Replaces frame `at` with the frame seen at `from` (a replay within the session). */
const replayOf = (at: number, from: number): Rule =>
  replaceWith(`record ${at} := replay of record ${from}`, nth(at), (_f, a) => [a.seen.i2r[from]]);

/** Holds frame `at` back and sends it after frame `after`. */
function reorder(a: Attacker, at: number, after: number): Attacker {
  return a
    .on({
      name: `hold record ${at}`,
      matches: nth(at),
      act: (f: InFlight, x) => {
        x.hold('i2r', f.frame);
        return [];
      },
    })
    .on({ name: `release record ${at} after ${after}`, matches: nth(after), act: (f, x) => [f.frame, ...x.release('i2r')] });
}

interface Case {
  id: string;
  clause: string;
  title: string;
  contents: Content[];
  attacker: (p: Pair, s: Subject) => Attacker | Promise<Attacker>;
  delivered: string[];
  ended: Outcome;
}

const recordCases: Case[] = [
  {
    id: 'records/duplicate',
    clause: '4.1.2',
    title: 'a record delivered twice is refused the second time with replay',
    contents: msgs(3),
    attacker: () => new Attacker().on(duplicate('record 1 twice', nth(1))),
    delivered: names(0, 1),
    ended: 'replay',
  },
  {
    id: 'records/replay-ten-back',
    clause: '4.1.2',
    title: 'a record replayed ten records later is refused with replay, never delivered again',
    contents: msgs(12),
    attacker: () => new Attacker().on(replayOf(11, 1)),
    delivered: names(...range(0, 11)),
    ended: 'replay',
  },
  {
    id: 'records/replay-first',
    clause: '4.1.2',
    title: 'the first record replayed after 64 more is refused with replay',
    contents: msgs(66),
    attacker: () => new Attacker().on(replayOf(65, 0)),
    delivered: names(...range(0, 65)),
    ended: 'replay',
  },
  {
    id: 'records/dropped',
    clause: '4.1.3',
    title: 'a dropped record makes the next one a record_gap, not delivered',
    contents: msgs(4),
    attacker: () => new Attacker().on(drop('drop record 1', nth(1))),
    delivered: names(0),
    ended: 'record_gap',
  },
  {
    id: 'records/reordered',
    clause: '4.1.3',
    title: 'two records swapped on the path are a record_gap, the later one not delivered',
    contents: msgs(4),
    attacker: () => reorder(new Attacker(), 1, 2),
    delivered: names(0),
    ended: 'record_gap',
  },
  {
    id: 'records/delayed',
    clause: '4.1.3',
    title: 'a record held back behind three others is a record_gap',
    contents: msgs(6),
    attacker: () => reorder(new Attacker(), 1, 4),
    delivered: names(0),
    ended: 'record_gap',
  },
  {
    id: 'records/body-bit-flipped',
    clause: '4.1.1',
    title: 'a record with one ciphertext bit flipped is refused with bad_record',
    contents: msgs(2),
    attacker: () =>
      new Attacker().on(rewrite('flip sealed bit', nth(1), (b) => editRecord(b, (r) => ({ ...r, sealed: flipBit(r.sealed, 0) })))),
    delivered: names(0),
    ended: 'bad_record',
  },
  {
    id: 'records/tag-bit-flipped',
    clause: '4.1.1',
    title: 'a record with one tag bit flipped is refused with bad_record',
    contents: msgs(2),
    attacker: () =>
      new Attacker().on(
        rewrite('flip tag bit', nth(1), (b) => editRecord(b, (r) => ({ ...r, sealed: flipBit(r.sealed, r.sealed.length - 1) }))),
      ),
    delivered: names(0),
    ended: 'bad_record',
  },
  {
    id: 'records/seq-rewritten',
    clause: '4.1.1',
    title: 'a record whose clear sequence number is rewritten is refused with bad_record (the AAD binds it)',
    contents: msgs(2),
    attacker: () => new Attacker().on(rewrite('seq += 1', nth(0), (b) => editRecord(b, (r) => ({ ...r, seq: r.seq + 1n })))),
    delivered: [],
    ended: 'bad_record',
  },
  {
    id: 'records/epoch-rewritten',
    clause: '4.1.5',
    title: 'a record whose clear epoch is raised is refused with bad_record',
    contents: msgs(2),
    attacker: () => new Attacker().on(rewrite('epoch += 1', nth(1), (b) => editRecord(b, (r) => ({ ...r, epoch: r.epoch + 1 })))),
    delivered: names(0),
    ended: 'bad_record',
  },
  {
    id: 'records/injected',
    clause: '4.1.1',
    title: 'a record the attacker made (the next sequence number, random sealed bytes) is refused with bad_record',
    contents: msgs(2),
    attacker: () =>
      new Attacker().on(
        replaceWith('record 1 := forged', nth(1), (_f, a) => [
          {
            type: FrameType.RECORD,
            body: encodeRecord({ epoch: 0, seq: 1n, sealed: Uint8Array.from({ length: 40 }, () => a.rng.int(256)) }),
          },
        ]),
      ),
    delivered: names(0),
    ended: 'bad_record',
  },
  {
    id: 'records/sealed-shorter-than-tag',
    clause: '2.2.2',
    title: 'a record whose sealed part is shorter than the AEAD tag is refused with bad_frame',
    contents: msgs(2),
    attacker: () => new Attacker().on(rewrite('sealed := 15 bytes', nth(1), (b) => sealedField.set(b, sealedField.get(b).subarray(0, 15)))),
    delivered: names(0),
    ended: 'bad_frame',
  },
  {
    id: 'records/sealed-truncated',
    clause: '4.1.1',
    title: 'a record whose sealed part lost its last byte is refused with bad_record',
    contents: msgs(2),
    attacker: () => new Attacker().on(rewrite('sealed -1 byte', nth(1), (b) => sealedField.set(b, sealedField.get(b).subarray(0, -1)))),
    delivered: names(0),
    ended: 'bad_record',
  },
  {
    id: 'records/sealed-extended',
    clause: '4.1.1',
    title: 'a record whose sealed part has a byte appended is refused with bad_record',
    contents: msgs(2),
    attacker: () =>
      new Attacker().on(rewrite('sealed +1 byte', nth(1), (b) => sealedField.set(b, Uint8Array.from([...sealedField.get(b), 0])))),
    delivered: names(0),
    ended: 'bad_record',
  },
  {
    id: 'records/earlier-session',
    clause: '4.1.8',
    title: 'a record from an earlier session of the same peers (same epoch and seq) is refused with bad_record',
    contents: msgs(2),
    attacker: async (_p, s) => {
      const old = await pair(s);
      const recs = [0, 1].map((n) => ({ type: FrameType.RECORD, body: encodeRecord(old.sender.seal(app(n))) }) as Frame);
      return new Attacker().on(replaceWith('record 1 := earlier session record 1', nth(1), () => [recs[1]]));
    },
    delivered: names(0),
    ended: 'bad_record',
  },
];

const desyncCases: Case[] = [
  {
    id: 'key-desync/lost-key-update',
    clause: '4.1.6',
    title: 'a dropped KEY_UPDATE makes the next record (epoch+1) a record_gap, not delivered',
    contents: [app(0), KEY_UPDATE, app(1)],
    attacker: () => new Attacker().on(drop('drop KEY_UPDATE', nth(1))),
    delivered: names(0),
    ended: 'record_gap',
  },
  {
    id: 'key-desync/key-update-reordered',
    clause: '4.1.6',
    title: 'a record of the new epoch arriving before its KEY_UPDATE is a record_gap',
    contents: [app(0), KEY_UPDATE, app(1), app(2)],
    attacker: () => reorder(new Attacker(), 1, 2),
    delivered: names(0),
    ended: 'record_gap',
  },
  {
    id: 'key-desync/stale-epoch',
    clause: '4.1.4',
    title: 'a record of the previous epoch replayed after a key update is refused with key_desync',
    contents: [app(0), app(1), KEY_UPDATE, app(2), app(3)],
    attacker: () => new Attacker().on(replayOf(4, 1)),
    delivered: [...names(0, 1), 'key_update', 'm2'],
    ended: 'key_desync',
  },
  {
    id: 'key-desync/duplicated-key-update',
    clause: '4.1.4',
    title: 'a KEY_UPDATE delivered twice: the copy is under the old epoch, key_desync',
    contents: [app(0), KEY_UPDATE, app(1)],
    attacker: () => new Attacker().on(duplicate('KEY_UPDATE twice', nth(1))),
    delivered: ['m0', 'key_update'],
    ended: 'key_desync',
  },
  {
    id: 'key-desync/two-updates-lost',
    clause: '4.1.5',
    title: 'mismatched rekey counters (two KEY_UPDATEs lost, a record of epoch+2) are refused with bad_record',
    contents: [app(0), KEY_UPDATE, KEY_UPDATE, app(1)],
    attacker: () => new Attacker().on(drop('drop KEY_UPDATE 1', nth(1))).on(drop('drop KEY_UPDATE 2', nth(2))),
    delivered: names(0),
    ended: 'bad_record',
  },
  {
    id: 'key-desync/new-epoch-replay',
    clause: '4.1.2',
    title: 'a record of the new epoch replayed is refused with replay',
    contents: [app(0), KEY_UPDATE, app(1), app(2)],
    attacker: () => new Attacker().on(replayOf(3, 2)),
    delivered: ['m0', 'key_update', 'm1'],
    ended: 'replay',
  },
  {
    id: 'key-desync/restarted-peer',
    clause: '4.1.8',
    title: 'a peer restarted without state (a new session) sending into the old one is refused with bad_record',
    contents: msgs(2),
    attacker: async (_p, s) => {
      const restarted = await pair(s);
      // Its records 0 and 1; record 1 arrives where the old session expects seq 1.
      restarted.sender.seal(app(0));
      const second = restarted.sender.seal(app(1));
      return new Attacker().on(
        replaceWith('record 1 := restarted sender record 1', nth(1), () => [{ type: FrameType.RECORD, body: encodeRecord(second) }]),
      );
    },
    delivered: names(0),
    ended: 'bad_record',
  },
];

const toNegative = (c: Case): NegativeCheck => ({
  id: c.id,
  clause: c.clause,
  title: c.title,
  run: async (s) => {
    const p = await pair(s);
    return expectStream(stream(p, c.contents, await c.attacker(p, s)), c.delivered, c.ended, c.title);
  },
});

/**
 * Recovery: a lost KEY_UPDATE desynchronises the session; the dialling side
 * re-handshakes and resends what was not delivered. Across both sessions
 * the receiver delivers every message exactly once, in order.
 */
async function recoveredByRehandshake(s: Subject): Promise<Verdict> {
  const first = await pair(s);
  const r1 = stream(first, [app(0), app(1), KEY_UPDATE, app(2), app(3)], new Attacker().on(drop('drop KEY_UPDATE', nth(2))));
  if (r1.ended !== 'record_gap') return fail(`the lost KEY_UPDATE ended the session with ${r1.ended}, expected record_gap`, { ...r1 });
  const resend = [0, 1, 2, 3].filter((n) => !r1.delivered.includes(`m${n}`));
  const second = await pair(s);
  const r2 = stream(second, resend.map(app), new Attacker());
  const all = [...r1.delivered, ...r2.delivered];
  const evidence = { firstSession: r1.delivered, secondSession: r2.delivered, ended: [r1.ended, r2.ended] };
  return r2.ended === 'ok' && all.join() === names(0, 1, 2, 3).join()
    ? pass(evidence)
    : fail(`after re-handshake the receiver delivered [${all.join(', ')}], expected m0..m3 exactly once`, evidence);
}

/** A record reflected back at its sender is under the other direction's key: bad_record. */
async function reflected(s: Subject): Promise<Verdict> {
  const run = await attackedHandshake(s, { attacker: new Attacker() });
  const { initiator: i } = run.sessions;
  if (!i) return fail(`the honest handshake failed (${run.initiator})`, {});
  const alice = new Channel(i, () => s.protocol.newReplayWindow());
  const own = alice.seal(app(0));
  try {
    alice.open(own);
  } catch (e) {
    const reason = reasonOf(e);
    return reason === 'bad_record'
      ? pass({ refusedWith: reason })
      : fail(`a reflected record was refused with ${reason}, expected bad_record`, {});
  }
  return fail('a record reflected back to its sender was delivered', {});
}

export const recordChecks: NegativeCheck[] = [
  ...recordCases.map(toNegative),
  { id: 'records/reflected', clause: '4.1.1', title: 'a record reflected back to its sender is refused with bad_record', run: reflected },
  ...desyncCases.map(toNegative),
  {
    id: 'key-desync/recovered-by-rehandshake',
    clause: '4.1.9',
    title: 'after a lost KEY_UPDATE, a re-handshake and resend deliver every message exactly once, in order',
    run: recoveredByRehandshake,
  },
];
