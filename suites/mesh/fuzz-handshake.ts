// Handshake fuzzing: live handshakes with one frame rewritten by a man in
// the middle; every side must end in a MeshError or an honest session.
import { concatBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { fail, pass, type Verdict } from '../../src/check/evidence.ts';
import { MeshError, reasonOf } from '../../src/mesh/protocol/errors.ts';
import { memoryPair } from './memory-pair.ts';
import type { HandshakeConn, HandshakeResult } from '../../src/mesh/protocol/handshake.ts';
import type { CipherSuiteName } from '../../src/mesh/protocol/ciphersuites.ts';
import {
  FrameType,
  decodeAccept,
  decodeFinish,
  decodeHello,
  encodeAccept,
  encodeFinish,
  encodeHello,
  type Accept,
  type Finish,
  type Frame,
  type Hello,
} from '../../src/mesh/protocol/wire.ts';

// The frame decoders (fuzz.ts) see hostile bytes; the handshake state machines must too.
// Each run is one live handshake between two honest nodes (both running the
// protocol under test) over an in-memory pair with a man in the middle that
// rewrites exactly one frame: HELLO (hostile input for the responder: decoder,
// verifyCertificate, suite choice, encapsulation), ACCEPT (for the initiator:
// echo check, certificate, signature, decapsulation, MAC) or FINISH (for the
// responder: signature and MAC). Allowed outcomes per side: a MeshError, or a
// completed handshake with the honest peer. Anything else fails the run: another
// exception, the handshake deadline (a hang: a rejected side closes its end, so
// the other is never left waiting), keys the two sides disagree on, a tampered
// handshake both sides completed, or an untampered one that did not complete.

/** One generic edit; each field kind (byte string, u8, u8 list) interprets it. */
export interface FieldEdit {
  op: 'flip' | 'truncate' | 'extend' | 'random' | 'swap' | 'small';
  at: number;
  xor: number;
  bytes: Uint8Array;
  other: number;
}

export type FrameMutation =
  | { kind: 'flips'; flips: { at: number; xor: number }[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'tail'; tail: Uint8Array }
  | { kind: 'random-body'; body: Uint8Array }
  | { kind: 'retype'; type: number }
  | { kind: 'field'; field: number; edit: FieldEdit };

/** Which frame of the handshake is rewritten: 0 HELLO, 1 ACCEPT, 2 FINISH. */
export interface HandshakePlan {
  step: 0 | 1 | 2;
  offer: number;
  mutation: FrameMutation;
}

type FieldValue = number | number[] | Uint8Array;
type Fields = Record<string, FieldValue>;

interface MessageCodec {
  decode(b: Uint8Array): Fields;
  encode(m: Fields): Uint8Array;
  /**
   * Fields to edit, repeated by weight: the ones parsed by the most code
   * (certificates, key material, signatures, offers) come up most often.
   */
  targets: readonly string[];
}

const MESSAGE_FIELDS: Partial<Record<FrameType, MessageCodec>> = {
  [FrameType.HELLO]: {
    decode: (b) => ({ ...decodeHello(b) }),
    encode: (m) => encodeHello(m as unknown as Hello),
    targets: ['versions', 'suites', 'suites', 'certificate', 'certificate', 'keyShare', 'keyShare', 'nonce'],
  },
  [FrameType.ACCEPT]: {
    decode: (b) => ({ ...decodeAccept(b) }),
    encode: (m) => encodeAccept(m as unknown as Accept),
    targets: [
      'version',
      'suite',
      'offeredVersions',
      'offeredSuites',
      'certificate',
      'certificate',
      'ciphertext',
      'ciphertext',
      'nonce',
      'signature',
      'signature',
      'signature',
      'mac',
    ],
  },
  [FrameType.FINISH]: {
    decode: (b) => ({ ...decodeFinish(b) }),
    encode: (m) => encodeFinish(m as unknown as Finish),
    targets: ['signature', 'signature', 'mac'],
  },
};

const kindOf = (v: FieldValue) => (typeof v === 'number' ? 'number' : Array.isArray(v) ? 'list' : 'bytes');

function editBytes(v: Uint8Array, e: FieldEdit): Uint8Array {
  switch (e.op) {
    case 'flip': {
      if (v.length === 0) return Uint8Array.of(e.xor);
      const out = Uint8Array.from(v);
      out[e.at % out.length] ^= e.xor;
      return out;
    }
    case 'truncate':
      return v.slice(0, v.length ? e.at % v.length : 0);
    case 'extend':
      return concatBytes(v, e.bytes.length ? e.bytes : Uint8Array.of(e.xor));
    case 'random':
      return Uint8Array.from(e.bytes);
    default:
      return new Uint8Array(0);
  }
}

function editList(v: number[], e: FieldEdit): number[] {
  switch (e.op) {
    case 'flip':
      return v.map((x, i) => (i === e.at % Math.max(1, v.length) ? (x ^ e.xor) & 0xff : x));
    case 'truncate':
      return v.slice(0, v.length ? e.at % v.length : 0);
    case 'extend':
      return [...v, ...Array.from(e.bytes.length ? e.bytes : [e.xor], (b) => b % 6)];
    case 'random':
      return Array.from(e.bytes.subarray(0, 20), (b) => (e.at % 2 ? b : b % 6));
    default:
      return [...v].reverse();
  }
}

function editNumber(v: number, e: FieldEdit): number {
  if (e.op === 'flip') return (v ^ e.xor) & 0xff;
  if (e.op === 'small' || e.op === 'truncate') return e.at % 6;
  return e.xor;
}

function editFields(fields: Fields, name: string, e: FieldEdit): void {
  const names = Object.keys(fields);
  const value = fields[name];
  if (e.op === 'swap') {
    // Exchange with another field of the same kind (the certificate with the key share, the signature with the MAC...).
    const peers = names.filter((n) => n !== name && kindOf(fields[n]) === kindOf(value));
    if (peers.length === 0) return;
    const other = peers[e.other % peers.length];
    [fields[name], fields[other]] = [fields[other], value];
    return;
  }
  fields[name] = typeof value === 'number' ? editNumber(value, e) : Array.isArray(value) ? editList(value, e) : editBytes(value, e);
}

/** Applies a mutation to an honest frame; the frame is always one this node just encoded, so it decodes. */
export function mutateFrame(frame: Frame, m: FrameMutation): Frame {
  const body = frame.body;
  switch (m.kind) {
    case 'flips': {
      const out = Uint8Array.from(body);
      if (out.length) for (const { at, xor } of m.flips) out[at % out.length] ^= xor;
      return { type: frame.type, body: out };
    }
    case 'truncate':
      return { type: frame.type, body: body.slice(0, body.length ? m.at % body.length : 0) };
    case 'tail':
      return { type: frame.type, body: concatBytes(body, m.tail) };
    case 'random-body':
      return { type: frame.type, body: Uint8Array.from(m.body) };
    case 'retype':
      return { type: (m.type === frame.type ? (m.type % 7) + 1 : m.type) as FrameType, body };
    case 'field': {
      const codec = MESSAGE_FIELDS[frame.type];
      if (!codec) return frame;
      const fields = codec.decode(body);
      editFields(fields, codec.targets[m.field % codec.targets.length], m.edit);
      return { type: frame.type, body: codec.encode(fields) };
    }
  }
}

const fieldEdit: fc.Arbitrary<FieldEdit> = fc.record({
  // Length changes (truncate, extend) get the most weight: size handling is where parsers break.
  op: fc.constantFrom('flip', 'flip', 'truncate', 'truncate', 'extend', 'extend', 'random', 'swap', 'swap', 'small'),
  at: fc.nat(),
  xor: fc.integer({ min: 1, max: 255 }),
  bytes: fc.uint8Array({ maxLength: 48 }),
  other: fc.nat(),
});

/** Field edits get most of the weight: they survive the decoder and reach the handshake logic. */
const frameMutation: fc.Arbitrary<FrameMutation> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('field' as const), field: fc.nat(), edit: fieldEdit }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('flips' as const),
      flips: fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tail' as const), tail: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random-body' as const), body: fc.uint8Array({ maxLength: 600, size: 'max' }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retype' as const), type: fc.integer({ min: 0, max: 7 }) }) },
);

export interface HandshakeFuzzOptions {
  runs: number;
  seed: number;
  /** Offers the honest initiator makes, one picked per run (weight = how often). */
  offers: readonly { offer: readonly CipherSuiteName[]; weight: number }[];
  /** Node ids each side must have authenticated when it completes. */
  ids: { initiator: string; responder: string };
  /** Starts both sides of one handshake over the given connections. */
  start(
    offer: readonly CipherSuiteName[],
    conns: { initiator: HandshakeConn; responder: HandshakeConn },
  ): {
    initiator: Promise<HandshakeResult>;
    responder: Promise<HandshakeResult>;
  };
}

type Settled = { ok: true; value: HandshakeResult } | { ok: false; error: unknown };

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

function describePlan(p: HandshakePlan, offers: HandshakeFuzzOptions['offers']): string {
  const codec = MESSAGE_FIELDS[([FrameType.HELLO, FrameType.ACCEPT, FrameType.FINISH] as const)[p.step]];
  const m =
    p.mutation.kind === 'field' && codec ? { ...p.mutation, field: codec.targets[p.mutation.field % codec.targets.length] } : p.mutation;
  const json = JSON.stringify(m, (_, v: unknown) =>
    v instanceof Uint8Array ? `hex:${Buffer.from(v).toString('hex').slice(0, 64)}${v.length > 32 ? '…' : ''}` : v,
  );
  return `${['HELLO', 'ACCEPT', 'FINISH'][p.step]} rewritten (${json}), offer ${offers[p.offer].offer.join(',')}`;
}

/** Runs one handshake under a plan; throws (failing the property) on any disallowed outcome. */
async function oneHandshake(o: HandshakeFuzzOptions, plan: HandshakePlan, tally: Map<string, number>): Promise<void> {
  let changed = false;
  const conns = memoryPair((f, index) => {
    if (index !== plan.step) return f;
    const out = mutateFrame(f, plan.mutation);
    changed = out.type !== f.type || !sameBytes(out.body, f.body);
    return out;
  });
  const sides = o.start(o.offers[plan.offer].offer, conns);
  const settle = (side: 'initiator' | 'responder', p: Promise<HandshakeResult>): Promise<Settled> =>
    p.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => {
        conns.close(side, error instanceof Error ? error.message : String(error));
        return { ok: false as const, error };
      },
    );
  const [i, r] = await Promise.all([settle('initiator', sides.initiator), settle('responder', sides.responder)]);
  for (const [side, s] of [
    ['initiator', i],
    ['responder', r],
  ] as const) {
    if (s.ok) {
      const expected = side === 'initiator' ? o.ids.responder : o.ids.initiator;
      if (s.value.peer.nodeId !== expected)
        throw new Error(`${side} completed with ${s.value.peer.nodeId}, not the honest peer ${expected}`);
      tally.set(`${side}:completed`, (tally.get(`${side}:completed`) ?? 0) + 1);
      continue;
    }
    const e = s.error;
    if (!(e instanceof MeshError)) {
      const name = e instanceof Error ? e.constructor.name : typeof e;
      throw new Error(`${side} threw ${name} instead of a MeshError: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (e.reason === 'timeout') throw new Error(`${side} hung until the handshake deadline: ${e.message}`);
    tally.set(`${side}:${e.reason}`, (tally.get(`${side}:${e.reason}`) ?? 0) + 1);
  }
  if (i.ok && r.ok) {
    if (changed) throw new Error('both sides completed a handshake whose frame was rewritten in flight');
    if (
      !sameBytes(i.value.sessionId, r.value.sessionId) ||
      !sameBytes(i.value.sendSecret, r.value.recvSecret) ||
      !sameBytes(i.value.recvSecret, r.value.sendSecret)
    ) {
      throw new Error('both sides completed with different session keys');
    }
  } else if (!changed) {
    const why = [i, r].map((s) => (s.ok ? 'completed' : reasonOf(s.error))).join(' / ');
    throw new Error(`an untampered handshake did not complete (initiator / responder: ${why})`);
  }
}

export async function fuzzHandshakes(o: HandshakeFuzzOptions): Promise<Verdict> {
  const tally = new Map<string, number>();
  const plan: fc.Arbitrary<HandshakePlan> = fc.record({
    step: fc.constantFrom(0 as const, 1 as const, 2 as const),
    offer: fc.oneof(...o.offers.map((x, k) => ({ weight: x.weight, arbitrary: fc.constant(k) }))),
    mutation: frameMutation,
  });
  const started = Date.now();
  const r = await fc.check(
    fc.asyncProperty(plan, (p) => oneHandshake(o, p, tally)),
    // No shrinking: each step is a live handshake; the seed and path replay the exact case.
    { numRuns: o.runs, seed: o.seed, endOnFailure: true },
  );
  const evidence = {
    seed: o.seed,
    cases: { total: r.numRuns, passed: r.failed ? r.numRuns - 1 : r.numRuns, failed: r.failed ? 1 : 0, skipped: 0 },
    outcomes: Object.fromEntries([...tally].sort(([a], [b]) => a.localeCompare(b))),
    durationMs: Date.now() - started,
  };
  if (!r.failed) return pass(evidence);
  const counterexample = r.counterexample?.[0];
  const message = r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance);
  return fail(`hostile handshake input: ${message}`, {
    ...evidence,
    counterexamplePath: r.counterexamplePath,
    firstFailure: {
      case: `fast-check run ${r.numRuns} (seed ${o.seed}, path ${r.counterexamplePath})`,
      message: counterexample ? describePlan(counterexample, o.offers).slice(0, 600) : message,
    },
  });
}
