// ML-DSA property checks (FIPS 204): round trip, tampering, context binding,
// determinism and hedging against an independent implementation, and cross-backend interop.
import { SIG_SIZES, type SigAlg } from '../../src/crypto/algorithms.ts';
import type { CryptoBackend, Signer } from '../../src/crypto/backend.ts';
import { bytesEqual, describeDifference as mismatch } from '../../src/check/bytes.ts';
import type { Check, Verdict } from '../../src/check/evidence.ts';
import { checkProperty } from '../../src/check/property.ts';
import { bitIn, context, flipBit, message, sigSeed, signingRnd } from './arbitraries.ts';
import { checkDeterminism, checkInterop, propertyCheck, type PropertyCheckSpec } from './property-check.ts';

const ZERO_RND = new Uint8Array(32);

const keygen = (s: Signer, deterministic: boolean, seed: Uint8Array) => (deterministic ? s.keygen(seed) : s.keygen());

export function sigChecks(spec: PropertyCheckSpec, alg: SigAlg): Check[] {
  const b = spec.backend;
  const sig = b.sig(alg);
  const offers = (p: CryptoBackend) => p.sigs.includes(alg);
  const det = b.deterministic;
  const sizes = SIG_SIZES[alg];
  const check = (kind: string, title: string, run: (seed: number, runs: number) => Verdict | Promise<Verdict>) =>
    propertyCheck(b.name, 'sig', alg, kind, title, run);

  return [
    check('roundtrip', `${alg} signatures verify and sizes match FIPS 204`, (seed, runs) =>
      checkProperty(seed, runs, [sigSeed(), message()], (s, msg) => {
        const { pk, sk } = keygen(sig, det, s);
        if (pk.length !== sizes.pk) return `pk is ${pk.length} bytes, FIPS 204 says ${sizes.pk}`;
        if (sk.length !== sizes.sk) return `sk is ${sk.length} bytes, FIPS 204 says ${sizes.sk}`;
        const signature = sig.sign(sk, msg);
        if (signature.length !== sizes.sig) return `signature is ${signature.length} bytes, FIPS 204 says ${sizes.sig}`;
        return sig.verify(pk, msg, signature) ? true : 'an honest signature does not verify';
      }),
    ),

    check('negative', `${alg} a modified message or signature does not verify`, (seed, runs) =>
      checkProperty(seed, runs, [sigSeed(), message(), bitIn(sizes.sig), bitIn(256)], (s, msg, sigBit, msgBit) => {
        const { pk, sk } = keygen(sig, det, s);
        const signature = sig.sign(sk, msg);
        const longer = new Uint8Array([...msg, 0]);
        if (sig.verify(pk, longer, signature)) return 'a signature verifies for the message with a byte appended';
        if (msg.length > 0 && sig.verify(pk, flipBit(msg, msgBit % (msg.length * 8)), signature))
          return `a signature verifies for the message with bit ${msgBit % (msg.length * 8)} flipped`;
        if (sig.verify(pk, msg, flipBit(signature, sigBit))) return `a signature with bit ${sigBit} flipped verifies`;
        const other = keygen(sig, det, flipBit(s, 0));
        if (sig.verify(other.pk, msg, signature)) return 'a signature verifies under another public key';
        return true;
      }),
    ),

    // FIPS 204 §5.2: the context string is bound into M', so it must match exactly.
    check('context', `${alg} the context string is bound into the signature`, (seed, runs) =>
      checkProperty(
        seed,
        runs,
        [sigSeed(), message(), context(), bitIn(1)],
        (s, msg, ctx, bit) => {
          const { pk, sk } = keygen(sig, det, s);
          const signature = sig.sign(sk, msg, { context: ctx });
          if (!sig.verify(pk, msg, signature, { context: ctx })) return 'a signature does not verify with its own context';
          if (sig.verify(pk, msg, signature)) return 'a signature made with a context verifies with the empty context';
          if (sig.verify(pk, msg, signature, { context: flipBit(ctx, bit) })) return 'a signature verifies with a different context';
          const plain = sig.sign(sk, msg);
          if (sig.verify(pk, msg, plain, { context: ctx })) return 'a signature made without a context verifies with one';
          return true;
        },
        { optional: 'ML-DSA context strings' },
      ),
    ),

    check('determinism', `${alg} same seed and rnd give an independent implementation's bytes; hedged signing varies`, (seed, runs) =>
      checkDeterminism(
        spec,
        alg,
        offers,
        { seed, runs, inputs: 'seeds or rnd' },
        [sigSeed(), message(), signingRnd()],
        (ref, s, msg, rnd) => {
          const r = ref.sig(alg);
          const k1 = sig.keygen(s);
          const kr = r.keygen(s);
          const same = mismatch('pk from the same seed twice', k1.pk, sig.keygen(s).pk);
          if (same !== true) return same;
          for (const [field, want, got] of [
            [`pk vs ${ref.name}`, kr.pk, k1.pk],
            [`sk vs ${ref.name}`, kr.sk, k1.sk],
            [`signature with rnd vs ${ref.name}`, r.sign(kr.sk, msg, { rnd }), sig.sign(k1.sk, msg, { rnd })],
            [
              `deterministic signature (rnd = 0) vs ${ref.name}`,
              r.sign(kr.sk, msg, { rnd: ZERO_RND }),
              sig.sign(k1.sk, msg, { rnd: ZERO_RND }),
            ],
          ] as const) {
            const d = mismatch(field, want, got);
            if (d !== true) return d;
          }
          // FIPS 204 §3.4: the default (hedged) variant draws fresh rnd each time.
          if (bytesEqual(sig.sign(k1.sk, msg), sig.sign(k1.sk, msg))) return 'two hedged signatures are identical: rnd is not fresh';
          return true;
        },
      ),
    ),

    check('interop', `${alg} signatures verify across backends`, (seed, runs) =>
      checkInterop(spec, alg, offers, { seed, runs }, [sigSeed(), message()], (p, s, msg) => {
        const other = p.sig(alg);
        const mine = keygen(sig, det, s);
        if (!other.verify(mine.pk, msg, sig.sign(mine.sk, msg))) return `${p.name} rejects a signature by ${b.name}`;
        const theirs = keygen(other, p.deterministic, s);
        if (!sig.verify(theirs.pk, msg, other.sign(theirs.sk, msg))) return `${b.name} rejects a signature by ${p.name}`;
        if (!sig.verify(theirs.pk, msg, sig.sign(theirs.sk, msg))) return `${b.name} cannot sign with a key from ${p.name}`;
        return true;
      }),
    ),
  ];
}
