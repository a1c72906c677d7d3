// ML-KEM property checks (FIPS 203): round trip, tampering, implicit
// rejection, determinism against an independent implementation, and cross-backend interop.
import { shake256 } from '@noble/hashes/sha3.js';
import { KEM_SIZES, type KemAlg } from '../../src/crypto/algorithms.ts';
import type { CryptoBackend, Kem } from '../../src/crypto/backend.ts';
import { bytesEqual, describeDifference as mismatch } from '../../src/check/bytes.ts';
import type { Check, Verdict } from '../../src/check/evidence.ts';
import { checkProperty } from '../../src/check/property.ts';
import { bitIn, flipBit, kemMessage, kemSeed } from './arbitraries.ts';
import { checkDeterminism, checkInterop, describeImpl, independentFor, propertyCheck, type PropertyCheckSpec } from './property-check.ts';

function sizeProblem(alg: KemAlg, ek: Uint8Array, dk: Uint8Array, ct?: Uint8Array, ss?: Uint8Array): string | undefined {
  const want = KEM_SIZES[alg];
  if (ek.length !== want.ek) return `ek is ${ek.length} bytes, FIPS 203 says ${want.ek}`;
  if (dk.length !== want.dk) return `dk is ${dk.length} bytes, FIPS 203 says ${want.dk}`;
  if (ct && ct.length !== want.ct) return `ct is ${ct.length} bytes, FIPS 203 says ${want.ct}`;
  if (ss && ss.length !== want.ss) return `shared secret is ${ss.length} bytes, expected 32`;
  return undefined;
}

const keygen = (kem: Kem, deterministic: boolean, seed: Uint8Array) => (deterministic ? kem.keygen(seed) : kem.keygen());
const encaps = (kem: Kem, deterministic: boolean, ek: Uint8Array, m: Uint8Array) => (deterministic ? kem.encaps(ek, m) : kem.encaps(ek));

export function kemChecks(spec: PropertyCheckSpec, alg: KemAlg): Check[] {
  const b = spec.backend;
  const kem = b.kem(alg);
  const offers = (p: CryptoBackend) => p.kems.includes(alg);
  const det = b.deterministic;
  const check = (kind: string, title: string, run: (seed: number, runs: number) => Verdict | Promise<Verdict>) =>
    propertyCheck(b.name, 'kem', alg, kind, title, run);

  return [
    check('roundtrip', `${alg} encaps/decaps agree and sizes match FIPS 203`, (seed, runs) =>
      checkProperty(seed, runs, [kemSeed(), kemMessage()], (s, m) => {
        const { ek, dk } = keygen(kem, det, s);
        const { ct, ss } = encaps(kem, det, ek, m);
        const bad = sizeProblem(alg, ek, dk, ct, ss);
        if (bad) return bad;
        return mismatch('decapsulated shared secret', ss, kem.decaps(dk, ct));
      }),
    ),

    check('negative', `${alg} a tampered ciphertext does not yield the honest secret`, (seed, runs) =>
      checkProperty(seed, runs, [kemSeed(), kemMessage(), bitIn(KEM_SIZES[alg].ct)], (s, m, bit) => {
        const { ek, dk } = keygen(kem, det, s);
        const { ct, ss } = encaps(kem, det, ek, m);
        const got = kem.decaps(dk, flipBit(ct, bit));
        return bytesEqual(got, ss) ? `ciphertext with bit ${bit} flipped still decapsulates to the honest secret` : true;
      }),
    ),

    // FIPS 203 Alg. 18 lines 7-11: a ciphertext that fails re-encryption yields J(z || c).
    // J is computed here from the spec; the independent implementation, when
    // one can be loaded, must also agree on the same dk and ciphertext.
    check('implicit-rejection', `${alg} rejection secret is J(z||c) and matches an independent implementation`, async (seed, runs) => {
      const found = await independentFor(spec, alg, offers);
      const other = 'ref' in found ? found.ref : undefined;
      const comparedWith = 'ref' in found ? describeImpl(found.ref) : `J(z||c) only (${found.skipped.reason})`;
      return checkProperty(
        seed,
        runs,
        [kemSeed(), kemMessage(), bitIn(KEM_SIZES[alg].ct)],
        (s, m, bit) => {
          const { ek, dk } = keygen(kem, det, s);
          const bad = flipBit(encaps(kem, det, ek, m).ct, bit);
          const got = kem.decaps(dk, bad);
          const z = dk.subarray(dk.length - 32);
          const want = shake256(new Uint8Array([...z, ...bad]), { dkLen: 32 });
          const r = mismatch('implicit-rejection secret vs J(z||c)', want, got);
          if (r !== true || !other) return r;
          return mismatch(`implicit-rejection secret vs ${other.name}`, other.kem(alg).decaps(dk, bad), got);
        },
        { evidence: { comparedWith } },
      );
    }),

    check('determinism', `${alg} same seed and m give the same bytes as an independent implementation`, (seed, runs) =>
      checkDeterminism(spec, alg, offers, { seed, runs, inputs: 'seeds or m' }, [kemSeed(), kemMessage()], (ref, s, m) => {
        const r = ref.kem(alg);
        const k1 = kem.keygen(s);
        const k2 = kem.keygen(s);
        const kr = r.keygen(s);
        const ek = mismatch('ek from the same seed twice', k1.ek, k2.ek);
        if (ek !== true) return ek;
        for (const [field, want, got] of [
          [`ek vs ${ref.name}`, kr.ek, k1.ek],
          [`dk vs ${ref.name}`, kr.dk, k1.dk],
        ] as const) {
          const d = mismatch(field, want, got);
          if (d !== true) return d;
        }
        const e1 = kem.encaps(k1.ek, m);
        const er = r.encaps(kr.ek, m);
        const ct = mismatch(`ct vs ${ref.name}`, er.ct, e1.ct);
        return ct !== true ? ct : mismatch(`shared secret vs ${ref.name}`, er.ss, e1.ss);
      }),
    ),

    check('interop', `${alg} keys from one backend, encapsulation by another`, (seed, runs) =>
      checkInterop(spec, alg, offers, { seed, runs }, [kemSeed(), kemMessage()], (p, s, m) => {
        const other = p.kem(alg);
        const mine = keygen(kem, det, s);
        const theirEnc = encaps(other, p.deterministic, mine.ek, m);
        const a = mismatch(`decaps by ${b.name} of ${p.name}'s encapsulation`, theirEnc.ss, kem.decaps(mine.dk, theirEnc.ct));
        if (a !== true) return a;
        const theirs = keygen(other, p.deterministic, s);
        const myEnc = encaps(kem, det, theirs.ek, m);
        return mismatch(`decaps by ${p.name} of ${b.name}'s encapsulation`, myEnc.ss, other.decaps(theirs.dk, myEnc.ct));
      }),
    ),
  ];
}
