// Invalid lengths everywhere (docs/mesh.md §2.2), as Go's ML-KEM
// TestBadLengths does for keys and ciphertexts: every length-prefixed field
// of every handshake message rewritten shorter (0..len-1) and longer (+1..+100),
// with a matching length prefix, plus cut frames, trailing bytes and list
// counts. pr runs a seeded sample of lengths; release runs all of them.
import { pass, type Verdict } from '../../../src/check/evidence.ts';
import { deriveSeed } from '../../../src/check/property.ts';
import { FrameReader, FrameType, LIMITS, MAX_FRAME_BYTES } from '../../../src/mesh/protocol/wire.ts';
import { fail } from '../../../src/check/evidence.ts';
import { reasonOf } from '../../../src/mesh/protocol/errors.ts';
import { Attacker, frameOf, rewrite, type Rule } from '../attacker/attacker.ts';
import { BYTES_FIELDS, LIST_FIELDS, type BytesField } from '../attacker/fields.ts';
import { prng } from '../attacker/prng.ts';
import { detectedBy, judge, type NegativeCheck } from '../clause.ts';
import { attackedHandshake, type Outcome, type Subject } from '../scenario.ts';
import type { CheckContext } from '../../../src/check/evidence.ts';

const MATCH: Record<string, Rule['matches']> = {
  HELLO: frameOf('i2r', FrameType.HELLO),
  ACCEPT: frameOf('r2i', FrameType.ACCEPT),
  FINISH: frameOf('i2r', FrameType.FINISH),
};

/** What a wrong length of each field is refused with, and the clause that says so. */
const EXPECTED: Record<string, { reason: Outcome; clause: string }> = {
  'HELLO.certificate': { reason: 'bad_certificate', clause: '3.4.2' },
  'HELLO.keyShare': { reason: 'bad_frame', clause: '3.3.1' },
  'HELLO.nonce': { reason: 'bad_frame', clause: '2.2.2' },
  'ACCEPT.certificate': { reason: 'bad_certificate', clause: '3.4.2' },
  'ACCEPT.ciphertext': { reason: 'bad_frame', clause: '3.3.3' },
  'ACCEPT.nonce': { reason: 'bad_frame', clause: '2.2.2' },
  'ACCEPT.signature': { reason: 'bad_signature', clause: '3.4.3' },
  'ACCEPT.mac': { reason: 'bad_frame', clause: '2.2.2' },
  'FINISH.signature': { reason: 'bad_signature', clause: '3.4.4' },
  'FINISH.mac': { reason: 'bad_frame', clause: '2.2.2' },
};

const SAMPLE = { pr: 2, release: Number.POSITIVE_INFINITY } as const;
const EXTENSIONS = 100;

/** Lengths to try below the honest one: 0 and len-1 always, a seeded sample between (all in release). */
function truncations(len: number, ctx: CheckContext, id: string): number[] {
  if (ctx.profile === 'release') return Array.from({ length: len }, (_, i) => i);
  const rng = prng(deriveSeed(ctx.seed, id));
  return [...new Set([0, len - 1, ...rng.sample(len, SAMPLE.pr)])].filter((n) => n >= 0 && n < len).sort((a, b) => a - b);
}

function extensions(ctx: CheckContext, id: string): number[] {
  if (ctx.profile === 'release') return Array.from({ length: EXTENSIONS }, (_, i) => i + 1);
  const rng = prng(deriveSeed(ctx.seed, id));
  return [...new Set([1, EXTENSIONS, ...rng.sample(EXTENSIONS, SAMPLE.pr).map((n) => n + 1)])].sort((a, b) => a - b);
}

async function resized(s: Subject, field: BytesField, size: (len: number) => number, what: string, expected: Outcome): Promise<Verdict> {
  const attacker = new Attacker().on(
    rewrite(what, MATCH[field.message], (b) => {
      const v = field.get(b);
      const n = size(v.length);
      const out = new Uint8Array(n);
      out.set(v.subarray(0, Math.min(n, v.length)));
      if (n > v.length) out.fill(0x5a, v.length);
      return field.set(b, out);
    }),
  );
  return judge(await attackedHandshake(s, { attacker }), detectedBy(expected), what);
}

/** Runs the lengths in turn; the first one refused wrongly is the verdict. */
async function sweep(
  subject: Subject,
  field: BytesField,
  lengths: (len: number) => number[],
  kind: 'truncated' | 'extended',
): Promise<Verdict> {
  const s = { ...subject, backend: subject.sweepBackend ?? subject.backend };
  const key = `${field.message}.${field.name}`;
  const { reason } = EXPECTED[key];
  // The honest length comes from one honest run's frames.
  const honest = await attackedHandshake(s, { attacker: new Attacker() });
  const frame = honest.attacker.seen[field.message === 'ACCEPT' ? 'r2i' : 'i2r'].find(
    (f) => f.type === FrameType[field.message as 'HELLO'],
  );
  const len = frame ? field.get(frame.body).length : 0;
  const tried = lengths(len);
  for (const n of tried) {
    const size = kind === 'truncated' ? () => n : (l: number) => l + n;
    const v = await resized(s, field, size, `${key} ${kind} to ${kind === 'truncated' ? n : len + n} of ${len} bytes`, reason);
    if (v.status !== 'pass') return { ...v, evidence: { ...v.evidence, honestLength: len, tried: tried.length } };
  }
  return pass({ field: key, honestLength: len, tried: tried.length, expected: reason, backend: s.backend.name });
}

const fieldChecks = BYTES_FIELDS.filter((f) => f.message !== 'RECORD').flatMap((field): NegativeCheck[] => {
  const key = `${field.message}.${field.name}`;
  const { reason, clause } = EXPECTED[key];
  return [
    {
      id: `lengths/${key}/truncated`,
      clause,
      title: `${key} shorter than sent (every length 0..len-1 in release, a sample in pr) is refused with ${reason}`,
      run: (s, ctx) => sweep(s, field, (len) => truncations(len, ctx, `negative/lengths/${key}/truncated`), 'truncated'),
    },
    {
      id: `lengths/${key}/extended`,
      clause,
      title: `${key} longer than sent (+1..+100 bytes in release, a sample in pr) is refused with ${reason}`,
      run: (s, ctx) => sweep(s, field, () => extensions(ctx, `negative/lengths/${key}/extended`), 'extended'),
    },
  ];
});

/** The body cut short with its frame length adjusted: the decoder finds a short field. */
const cutChecks = (['HELLO', 'ACCEPT', 'FINISH'] as const).map(
  (message): NegativeCheck => ({
    id: `lengths/${message}/cut`,
    clause: '2.2.3',
    title: `a ${message} body cut short inside a field is refused with bad_frame`,
    run: async (s, ctx) => {
      const rng = prng(deriveSeed(ctx.seed, `negative/lengths/${message}/cut`));
      const cuts = ctx.profile === 'release' ? 16 : 2;
      for (let k = 0; k < cuts; k++) {
        const at = (len: number) => (k === 0 ? len - 1 : rng.int(len));
        const attacker = new Attacker().on(rewrite(`cut ${message}`, MATCH[message], (b) => b.subarray(0, at(b.length))));
        const v = judge(await attackedHandshake(s, { attacker }), detectedBy('bad_frame'), `${message} cut short`);
        if (v.status !== 'pass') return v;
      }
      return pass({ cuts });
    },
  }),
);

const trailingChecks = (['HELLO', 'ACCEPT', 'FINISH'] as const).map(
  (message): NegativeCheck => ({
    id: `lengths/${message}/trailing-bytes`,
    clause: '2.2.4',
    title: `a ${message} with one byte after its last field is refused with bad_frame`,
    run: async (s) => {
      const attacker = new Attacker().on(rewrite(`append to ${message}`, MATCH[message], (b) => Uint8Array.from([...b, 0])));
      return judge(await attackedHandshake(s, { attacker }), detectedBy('bad_frame'), `${message} with a trailing byte`);
    },
  }),
);

const listChecks = LIST_FIELDS.flatMap((field) =>
  (
    [
      ['empty', [] as number[]],
      ['seventeen-entries', Array.from({ length: 17 }, () => 1)],
    ] as const
  ).map(
    ([name, value]): NegativeCheck => ({
      id: `lengths/${field.message}.${field.name}/${name}`,
      clause: '2.2.5',
      title: `${field.message}.${field.name} with ${value.length} entries is refused with bad_frame`,
      run: async (s) => {
        const attacker = new Attacker().on(
          rewrite(`${field.name} := ${value.length} entries`, MATCH[field.message], (b) => field.set(b, [...value])),
        );
        return judge(
          await attackedHandshake(s, { attacker }),
          detectedBy('bad_frame'),
          `${field.message}.${field.name} with ${value.length} entries`,
        );
      },
    }),
  ),
);

/** Frame headers the reader must refuse from the first bytes (§2.1.1). */
const headerChecks = (
  [
    ['zero-length', 0, FrameType.HELLO],
    ['oversized', MAX_FRAME_BYTES + 1, FrameType.HELLO],
    ['unknown-type', 10, 9],
  ] as const
).map(
  ([name, len, type]): NegativeCheck => ({
    id: `lengths/frame-${name}`,
    clause: '2.1.1',
    title: `a frame header with ${name === 'unknown-type' ? `type ${type}` : `length ${len}`} is refused with bad_frame before its body is read`,
    run: async () => {
      const head = new Uint8Array(5);
      new DataView(head.buffer).setUint32(0, len);
      head[4] = type;
      try {
        const frames = new FrameReader().push(head);
        return fail(`the reader accepted the header (${frames.length} frames) and waits for the body`, { len, type });
      } catch (e) {
        const reason = reasonOf(e);
        return reason === 'bad_frame'
          ? pass({ len, type, refusedWith: reason })
          : fail(`refused with ${reason}, expected bad_frame`, { len, type });
      }
    },
  }),
);

/** A field one byte over its ceiling (§2.2.1): refused by the decoder, whatever else is wrong. */
const overLimitChecks = (
  [
    ['HELLO.certificate', LIMITS.certificate],
    ['HELLO.keyShare', LIMITS.keyShare],
    ['ACCEPT.ciphertext', LIMITS.ciphertext],
    ['ACCEPT.signature', LIMITS.signature],
    ['FINISH.signature', LIMITS.signature],
  ] as const
).map(([key, limit]): NegativeCheck => {
  const field = BYTES_FIELDS.find((f) => `${f.message}.${f.name}` === key)!;
  return {
    id: `lengths/${key}/over-limit`,
    clause: '2.2.1',
    title: `${key} of ${limit + 1} bytes (its limit + 1) is refused with bad_frame`,
    run: (s) => resized(s, field, () => limit + 1, `${key} := ${limit + 1} bytes`, 'bad_frame'),
  };
});

export const lengthChecks: NegativeCheck[] = [
  ...headerChecks,
  ...fieldChecks,
  ...overLimitChecks,
  ...cutChecks,
  ...trailingChecks,
  ...listChecks,
];
