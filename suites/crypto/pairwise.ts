// Pairwise checks across libraries, for the ecosystem matrix: for every
// ordered pair (A, B) offering an algorithm, keys from A and the operation
// by B (B encapsulates to A's ek and A decapsulates; B verifies A's
// signature, and signs with A's secret key for A to verify). Between two
// libraries that both expose the expanded dk, the implicit-rejection secret
// of a tampered ciphertext must be the same bytes (FIPS 203 Alg. 18 line 10).
// Inputs derive from the run seed and the check id, so one seed replays all.
import { shake256 } from '@noble/hashes/sha3.js';
import {
  KEM_ALGS,
  KEM_MSG_BYTES,
  KEM_SEED_BYTES,
  SIG_ALGS,
  SIG_SEED_BYTES,
  type KemAlg,
  type SigAlg,
} from '../../src/crypto/algorithms.ts';
import type { AsyncKem, AsyncLibrary, AsyncSigner } from '../../src/crypto/adapters/async-library.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { describeDifference } from '../../src/check/bytes.ts';
import { fail, pass, type Check, type Profile, type Verdict } from '../../src/check/evidence.ts';
import { deriveSeed } from '../../src/check/property.ts';

/** Cases per ordered pair: a handful finds an encoding mismatch at once; release repeats for rare failures. */
const RUNS: Record<Profile, number> = { pr: 2, release: 8 };

/** Deterministic bytes for case i of a check: SHAKE256(seed || label || i). */
export function caseBytes(seed: number, label: string, i: number, n: number): Uint8Array {
  return shake256(new TextEncoder().encode(`${seed}/${label}/${i}`), { dkLen: n });
}

export interface MatrixLibrary {
  library: AsyncLibrary;
  /** The sync face, when the library has one: its dk is bytes, so another library can decapsulate with it. */
  backend?: CryptoBackend;
}

const named = (l: AsyncLibrary) => `${l.name} (${l.version})`;

async function failureOf(run: () => Promise<true | string>): Promise<true | string> {
  try {
    return await run();
  } catch (e) {
    return `threw: ${(e as Error).message}`;
  }
}

async function runCases(
  seed: number,
  runs: number,
  evidence: Record<string, unknown>,
  body: (i: number) => Promise<true | string>,
): Promise<Verdict> {
  for (let i = 0; i < runs; i++) {
    const r = await failureOf(() => body(i));
    if (r !== true) return fail(r, { ...evidence, seed, runs, firstFailure: { case: `pair case ${i}, seed ${seed}`, message: r } });
  }
  return pass({ ...evidence, seed, runs });
}

function kemPair(alg: KemAlg, a: MatrixLibrary, ka: AsyncKem, b: MatrixLibrary, kb: AsyncKem): Check {
  const id = `matrix/interop/${alg}/${a.library.name}->${b.library.name}`;
  return {
    id,
    title: `${alg}: ${b.library.name} encapsulates to ${a.library.name}'s key, ${a.library.name} decapsulates`,
    backend: a.library.name,
    run: (ctx) => {
      const seed = deriveSeed(ctx.seed, id);
      return runCases(seed, RUNS[ctx.profile], { keysFrom: named(a.library), operationBy: named(b.library) }, async (i) => {
        const { ek, dk } = await ka.keygen(caseBytes(seed, 'd||z', i, KEM_SEED_BYTES));
        const { ct, ss } = await kb.encaps(ek, caseBytes(seed, 'm', i, KEM_MSG_BYTES));
        return describeDifference(
          `shared secret: ${a.library.name} decapsulating ${b.library.name}'s ciphertext`,
          ss,
          await ka.decaps(dk, ct),
        );
      });
    },
  };
}

function rejectionPair(alg: KemAlg, a: CryptoBackend, b: CryptoBackend): Check {
  const id = `matrix/rejection/${alg}/${a.name}->${b.name}`;
  return {
    id,
    title: `${alg}: ${b.name} rejects a tampered ciphertext to ${a.name}'s dk with the same secret as ${a.name}`,
    backend: a.name,
    run: (ctx) => {
      const seed = deriveSeed(ctx.seed, id);
      return runCases(
        seed,
        RUNS[ctx.profile],
        { keysFrom: `${a.name} (${a.version})`, operationBy: `${b.name} (${b.version})` },
        async (i) => {
          const ka = a.kem(alg);
          // A library that cannot take seeds draws its own (the case is then not replayable, and says so).
          const { ek, dk } = a.deterministic ? ka.keygen(caseBytes(seed, 'd||z', i, KEM_SEED_BYTES)) : ka.keygen();
          const ct = Uint8Array.from((a.deterministic ? ka.encaps(ek, caseBytes(seed, 'm', i, KEM_MSG_BYTES)) : ka.encaps(ek)).ct);
          ct[i % ct.length] ^= 1;
          return describeDifference(
            `rejection secret: ${b.name} vs ${a.name} on the same dk and ciphertext`,
            ka.decaps(dk, ct),
            b.kem(alg).decaps(dk, ct),
          );
        },
      );
    },
  };
}

function sigPair(alg: SigAlg, a: MatrixLibrary, sa: AsyncSigner, b: MatrixLibrary, sb: AsyncSigner): Check {
  const id = `matrix/interop/${alg}/${a.library.name}->${b.library.name}`;
  return {
    id,
    title: `${alg}: ${b.library.name} verifies ${a.library.name}'s signatures and signs with its keys`,
    backend: a.library.name,
    run: (ctx) => {
      const seed = deriveSeed(ctx.seed, id);
      return runCases(seed, RUNS[ctx.profile], { keysFrom: named(a.library), operationBy: named(b.library) }, async (i) => {
        const { pk, sk } = await sa.keygen(caseBytes(seed, 'xi', i, SIG_SEED_BYTES));
        const msg = caseBytes(seed, 'msg', i, 1 + (i % 64));
        if (!(await sb.verify(pk, msg, await sa.sign(sk, msg)))) return `${b.library.name} rejects a signature by ${a.library.name}`;
        // A secret key that is bytes in the standard encoding can be used by the other library too.
        if (sk instanceof Uint8Array && !(await sa.verify(pk, msg, await sb.sign(sk, msg))))
          return `${a.library.name} rejects a signature ${b.library.name} made with ${a.library.name}'s secret key`;
        return true;
      });
    },
  };
}

/** Every ordered pair of distinct libraries, per algorithm both offer. */
export function buildPairwiseChecks(libs: readonly MatrixLibrary[]): Check[] {
  const checks: Check[] = [];
  for (const alg of KEM_ALGS) {
    const offering = libs.flatMap((l) => l.library.kems.filter((k) => k.alg === alg).map((k) => ({ l, k })));
    for (const x of offering)
      for (const y of offering) {
        if (x.l === y.l) continue;
        checks.push(kemPair(alg, x.l, x.k, y.l, y.k));
        if (x.l.backend && y.l.backend) checks.push(rejectionPair(alg, x.l.backend, y.l.backend));
      }
  }
  for (const alg of SIG_ALGS) {
    const offering = libs.flatMap((l) => l.library.sigs.filter((s) => s.alg === alg).map((s) => ({ l, s })));
    for (const x of offering) for (const y of offering) if (x.l !== y.l) checks.push(sigPair(alg, x.l, x.s, y.l, y.s));
  }
  return checks;
}
