// Broken KEM (docs/mesh.md §3.3): shares and ciphertexts an attacker breaks
// on the path, and a KEM that yields the wrong secret. X-Wing shares are
// ek_ML-KEM-768 (1184 B: three 384-byte polynomials of 256 12-bit
// coefficients, then rho) || pk_X25519 (32 B).
import { fail, pass, type Verdict } from '../../../src/check/evidence.ts';
import { deriveSeed } from '../../../src/check/property.ts';
import { FrameType } from '../../../src/mesh/protocol/wire.ts';
import { Attacker, frameOf, rewrite } from '../attacker/attacker.ts';
import { BYTES_FIELDS, editHello, flipBit } from '../attacker/fields.ts';
import { prng } from '../attacker/prng.ts';
import { detectedBy, judge, type NegativeCheck } from '../clause.ts';
import { attackedHandshake, type Subject } from '../scenario.ts';

const HELLO = frameOf('i2r', FrameType.HELLO);
const ACCEPT = frameOf('r2i', FrameType.ACCEPT);
const ciphertext = BYTES_FIELDS.find((f) => f.message === 'ACCEPT' && f.name === 'ciphertext')!;

export const MLKEM768_COEFFICIENTS = 768;
const MLKEM768_EK = 1184;
/** The smallest value that is not a coefficient mod q (FIPS 203 §7.2 modulus check). */
const Q = 3329;

/** Writes `value` as 12-bit coefficient `index` of a packed ML-KEM encapsulation key (ByteEncode_12). */
export function setCoefficient(ek: Uint8Array, index: number, value: number): Uint8Array {
  const out = Uint8Array.from(ek);
  const at = Math.floor(index / 2) * 3;
  if (index % 2 === 0) {
    out[at] = value & 0xff;
    out[at + 1] = (out[at + 1] & 0xf0) | (value >> 8);
  } else {
    out[at + 1] = (out[at + 1] & 0x0f) | ((value & 0x0f) << 4);
    out[at + 2] = value >> 4;
  }
  return out;
}

const shareEdit = (name: string, edit: (share: Uint8Array) => Uint8Array) =>
  new Attacker().on(rewrite(name, HELLO, (b) => editHello(b, (m) => ({ ...m, keyShare: edit(m.keyShare) }))));

async function coefficientAt(subject: Subject, index: number): Promise<Verdict> {
  const run = await attackedHandshake(subject, {
    attacker: shareEdit(`ML-KEM coefficient ${index} := q`, (s) => setCoefficient(s, index, Q)),
  });
  return judge(run, detectedBy('bad_frame'), `ML-KEM-768 coefficient ${index} of the share set to q = ${Q}`);
}

const coefficientCheck = (index: number): NegativeCheck => ({
  id: `broken-kem/mlkem-coefficient-${index}`,
  clause: '3.3.2',
  title: `a share whose ML-KEM coefficient ${index} is q = 3329 is refused with bad_frame by the responder`,
  run: (s) => coefficientAt(s, index),
});

/** Positions at the edges of each polynomial and of each 3-byte pair. */
const NAMED_COEFFICIENTS = [0, 1, 254, 255, 256, 511, 512, 767];
/** Sampled positions in pr; release writes q at all 768. */
const COEFFICIENT_SAMPLE = { pr: 12, release: MLKEM768_COEFFICIENTS } as const;

/** A low-order point (order 8 on Curve25519, RFC 7748 §6.1's all-zero-output family). */
const LOW_ORDER_POINT = Uint8Array.from(Buffer.from('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'hex'));

export const brokenKemChecks: NegativeCheck[] = [
  ...NAMED_COEFFICIENTS.map(coefficientCheck),
  {
    id: 'broken-kem/mlkem-coefficient-sweep',
    clause: '3.3.2',
    title: 'q = 3329 written at each ML-KEM coefficient position in turn (pr: a seeded sample; release: all 768) is refused with bad_frame',
    run: async (s, ctx) => {
      const rng = prng(deriveSeed(ctx.seed, 'negative/broken-kem/mlkem-coefficient-sweep'));
      const positions = rng.sample(MLKEM768_COEFFICIENTS, COEFFICIENT_SAMPLE[ctx.profile]);
      for (const index of positions) {
        const v = await coefficientAt(s, index);
        if (v.status !== 'pass') return { ...v, evidence: { ...v.evidence, positions: positions.length } };
      }
      return pass({ positions: positions.length, sample: positions.slice(0, 16) });
    },
  },
  {
    id: 'broken-kem/low-order-x25519',
    clause: '3.3.5',
    title: 'a share whose X25519 part is a low-order point (all-zero shared secret) is refused with bad_frame',
    run: async (s) =>
      judge(
        await attackedHandshake(s, {
          attacker: shareEdit('X25519 part := low-order point', (sh) =>
            Uint8Array.from([...sh.subarray(0, MLKEM768_EK), ...LOW_ORDER_POINT]),
          ),
        }),
        detectedBy('bad_frame'),
        'low-order X25519 point in the share',
      ),
  },
  {
    id: 'broken-kem/zero-x25519',
    clause: '3.3.5',
    title: 'a share whose X25519 part is zero is refused with bad_frame',
    run: async (s) =>
      judge(
        await attackedHandshake(s, {
          attacker: shareEdit('X25519 part := 0', (sh) => Uint8Array.from([...sh.subarray(0, MLKEM768_EK), ...new Uint8Array(32)])),
        }),
        detectedBy('bad_frame'),
        'all-zero X25519 point in the share',
      ),
  },
  {
    id: 'broken-kem/swapped-share-parts',
    clause: '3.3.2',
    title: 'a share with the X25519 and ML-KEM parts swapped is refused with bad_frame',
    run: async (s) =>
      judge(
        await attackedHandshake(s, {
          attacker: shareEdit('share := pk_X || ek_M', (sh) =>
            Uint8Array.from([...sh.subarray(MLKEM768_EK), ...sh.subarray(0, MLKEM768_EK)]),
          ),
        }),
        detectedBy('bad_frame'),
        'X25519 and ML-KEM parts of the share swapped',
      ),
  },
  ...(
    [
      ['short', (sh: Uint8Array) => sh.subarray(0, sh.length - 1)],
      ['long', (sh: Uint8Array) => Uint8Array.from([...sh, 0])],
      ['mlkem-only', (sh: Uint8Array) => sh.subarray(0, MLKEM768_EK)],
    ] as const
  ).map(
    ([name, edit]): NegativeCheck => ({
      id: `broken-kem/xwing-share-${name}`,
      clause: '3.3.1',
      title: `an X-Wing share of the wrong length (${name}) is refused with bad_frame by the responder`,
      run: async (s) =>
        judge(await attackedHandshake(s, { attacker: shareEdit(`share ${name}`, edit) }), detectedBy('bad_frame'), `share ${name}`),
    }),
  ),
  ...(
    [
      ['first-byte', 0],
      ['mlkem-last-byte', 1087],
      ['x25519-part', 1090],
    ] as const
  ).map(
    ([name, at]): NegativeCheck => ({
      id: `broken-kem/tampered-ciphertext-${name}`,
      clause: '3.4.3',
      title: `a ciphertext with one bit flipped (${name}) is refused: the ACCEPT signature covers it (bad_signature)`,
      run: async (s) =>
        judge(
          await attackedHandshake(s, {
            attacker: new Attacker().on(
              rewrite(`flip ciphertext byte ${at}`, ACCEPT, (b) => ciphertext.set(b, flipBit(ciphertext.get(b), at))),
            ),
          }),
          detectedBy('bad_signature'),
          `ciphertext byte ${at} flipped`,
        ),
    }),
  ),
  {
    id: 'broken-kem/truncated-ciphertext',
    clause: '3.3.3',
    title: 'a ciphertext one byte short is refused with bad_frame by the initiator',
    run: async (s) =>
      judge(
        await attackedHandshake(s, {
          attacker: new Attacker().on(rewrite('ciphertext -1 byte', ACCEPT, (b) => ciphertext.set(b, ciphertext.get(b).subarray(1)))),
        }),
        detectedBy('bad_frame'),
        'truncated ciphertext',
      ),
  },
  {
    id: 'broken-kem/overlong-ciphertext',
    clause: '3.3.3',
    title: 'a ciphertext one byte long is refused with bad_frame by the initiator',
    run: async (s) =>
      judge(
        await attackedHandshake(s, {
          attacker: new Attacker().on(
            rewrite('ciphertext +1 byte', ACCEPT, (b) => Uint8Array.from(ciphertext.set(b, Uint8Array.from([...ciphertext.get(b), 7])))),
          ),
        }),
        detectedBy('bad_frame'),
        'overlong ciphertext',
      ),
  },
  {
    id: 'broken-kem/wrong-shared-secret',
    clause: '3.3.4',
    title: 'an initiator whose decapsulation yields a different secret fails key confirmation with decap_mismatch',
    run: async (s) => {
      const run = await attackedHandshake(s, {
        attacker: new Attacker(),
        initiator: {
          suites: (m) =>
            new Map(
              [...m].map(([n, suite]) => [
                n,
                {
                  ...suite,
                  kem: {
                    ...suite.kem,
                    keygen: suite.kem.keygen,
                    encaps: suite.kem.encaps,
                    decaps: (sk, ct) => flipBit(suite.kem.decaps(sk, ct), 0),
                  },
                },
              ]),
            ),
        },
      });
      return judge(run, detectedBy('decap_mismatch'), 'decapsulation secret differs from the encapsulated one');
    },
  },
  {
    id: 'broken-kem/honest-agreement',
    clause: '3.3.4',
    title: 'with nobody in the path both sides complete and hold the same session keys',
    run: async (s) => {
      const run = await attackedHandshake(s, { attacker: new Attacker() });
      const v = judge(run, detectedBy('ok'), 'none (honest path)');
      if (v.status !== 'pass') return v;
      const { initiator: i, responder: r } = run.sessions;
      const same = (a?: Uint8Array, b?: Uint8Array) => !!a && !!b && Buffer.from(a).equals(Buffer.from(b));
      return same(i?.sendSecret, r?.recvSecret) && same(i?.recvSecret, r?.sendSecret) && same(i?.sessionId, r?.sessionId)
        ? v
        : fail('both sides completed but hold different traffic secrets or session ids', v.evidence);
    },
  },
];
