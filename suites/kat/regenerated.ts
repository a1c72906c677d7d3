// Known answers regenerated from deterministic generators (no data files):
// NIST PQCgenKAT `.rsp` text and the accumulated SHAKE-128 tests. Plus the
// X-Wing draft vectors, which are files but tiny.
import { isKemAlg, type KemAlg, type SigAlg } from '../../src/crypto/algorithms.ts';
import { UnsupportedCapabilityError, type CryptoBackend } from '../../src/crypto/backend.ts';
import { createXWing } from '../../src/crypto/xwing.ts';
import { diffBytes, fromHex } from '../../src/check/bytes.ts';
import { fail, pass, unsupported, type Evidence, type Profile, type Verdict } from '../../src/check/evidence.ts';
import {
  ACCUMULATED_MLDSA,
  ACCUMULATED_MLKEM,
  accumulateMlDsa,
  accumulateMlKem,
  type AccumulatedProblem,
  type AccumulatedSize,
} from '../../vectors/accumulated.ts';
import { NIST_KAT_DIGESTS, generateKemRsp, generateSigRsp, type KatProblem } from '../../vectors/drbg.ts';
import type { XWingCase } from '../../vectors/xwing.ts';
import { ACCUMULATED_MLDSA_BLOCKS, BLOCK_COUNT, BLOCK_SIZE, runMlDsaBlock } from '../../vectors/accumulated-blocks.ts';
import type { AccumulatedPlan } from './accumulated-plan.ts';
import { Tally, compareFields } from './tally.ts';

function notDeterministic(backend: CryptoBackend, what: string): Verdict {
  return unsupported(
    `backend ${backend.name} is not deterministic (it cannot take keygen seeds, m or rnd), so ${what} cannot be reproduced`,
  );
}

/** Runs a generator; a capability gap becomes an unsupported skip instead of a crash. */
function guarded(backend: CryptoBackend, what: string, run: () => Verdict): Verdict {
  if (!backend.deterministic) return notDeterministic(backend, what);
  try {
    return run();
  } catch (e) {
    if (e instanceof UnsupportedCapabilityError) return unsupported(e.message);
    return fail(`${what}: unexpected error: ${(e as Error).message}`, { error: String((e as Error).stack ?? e) });
  }
}

function problemVerdict(what: string, where: string, p: KatProblem | AccumulatedProblem, ev: Evidence): Verdict {
  const m = p.expected && p.actual ? diffBytes({ case: where, field: p.field }, p.expected, p.actual) : undefined;
  const firstFailure = { ...(m ?? { case: where, field: p.field }), message: p.message };
  return fail(`${what}: ${p.message}`, { ...ev, cases: { total: 1, passed: 0, failed: 1, skipped: 0 }, firstFailure });
}

function digestVerdict(what: string, expectedHex: string, actualHex: string, ev: Evidence): Verdict {
  const cases = { total: 1, passed: actualHex === expectedHex ? 1 : 0, failed: actualHex === expectedHex ? 0 : 1, skipped: 0 };
  const evidence = { ...ev, cases, expectedDigest: expectedHex, actualDigest: actualHex };
  if (actualHex === expectedHex) return pass(evidence);
  const m = diffBytes({ case: what, field: 'digest' }, fromHex(expectedHex), fromHex(actualHex))!;
  return fail(`${what}: digest ${actualHex.slice(0, 16)}… differs from the published ${expectedHex.slice(0, 16)}…`, {
    ...evidence,
    firstFailure: m,
  });
}

/** kat/drbg/<alg>: SHA-256 of the regenerated `.rsp` text against liboqs' kats.json (single in pr, all in release). */
export function runDrbgKat(backend: CryptoBackend, alg: KemAlg | SigAlg, profile: Profile): Verdict {
  const scope = profile === 'release' ? 'all' : 'single';
  const count = scope === 'all' ? 100 : 1;
  const what = `NIST DRBG .rsp for ${alg} (count 0..${count - 1})`;
  return guarded(backend, what, () => {
    const r = isKemAlg(alg) ? generateKemRsp(backend.kem(alg), count) : generateSigRsp(backend.sig(alg), count);
    const ev: Evidence = {
      scope,
      records: r.records,
      procedure: 'NIST PQCgenKAT AES-256-CTR DRBG, seed 0x00..0x2f',
      digestSource: 'liboqs tests/KATs kats.json @8979276a',
    };
    if (r.problem) return problemVerdict(what, `count ${r.problem.count}`, r.problem, ev);
    return digestVerdict(what, NIST_KAT_DIGESTS[alg][scope], r.sha256, ev);
  });
}

/**
 * kat/accumulated/<alg>: CCTV accumulated tests, 100 in pr, 10 000 in
 * release, or in release a sample of checkpoint blocks (accumulated-plan.ts).
 */
export function runAccumulated(backend: CryptoBackend, alg: KemAlg | SigAlg, plan: AccumulatedPlan): Verdict {
  if (plan.kind === 'blocks' && !isKemAlg(alg)) return runBlocks(backend, alg, plan);
  const size: AccumulatedSize = plan.kind === 'full' ? plan.size : 10000;
  const what = `accumulated ${alg} (${size} tests)`;
  return guarded(backend, what, () => {
    const r = isKemAlg(alg) ? accumulateMlKem(backend.kem(alg), size) : accumulateMlDsa(backend.sig(alg), size);
    const expected = isKemAlg(alg) ? ACCUMULATED_MLKEM[alg][size] : ACCUMULATED_MLDSA[alg][size];
    const ev: Evidence = { iterations: r.iterations, procedure: 'C2SP/CCTV accumulated, SHAKE-128 input and accumulator' };
    if (r.problem) return problemVerdict(what, `iteration ${r.problem.iteration}`, r.problem, ev);
    return digestVerdict(what, expected, r.digest!, ev);
  });
}

/** The sampled blocks of the 10 000-test ML-DSA run, each against its checkpoint digest. */
function runBlocks(backend: CryptoBackend, alg: SigAlg, plan: Extract<AccumulatedPlan, { kind: 'blocks' }>): Verdict {
  const what = `accumulated ${alg} (blocks ${plan.blocks.join(', ')} of ${BLOCK_COUNT}, ${plan.blocks.length * BLOCK_SIZE} of 10000 tests)`;
  return guarded(backend, what, () => {
    const signer = backend.sig(alg);
    const ev: Evidence = {
      iterations: plan.blocks.length * BLOCK_SIZE,
      sample: { blocks: plan.blocks, of: BLOCK_COUNT, blockSize: BLOCK_SIZE, seed: plan.seed },
      fullRunOn: plan.fullRunOn,
      procedure: 'C2SP/CCTV accumulated inputs; per-block SHAKE-128 checkpoints (vectors/accumulated-blocks.ts)',
    };
    for (const [n, block] of plan.blocks.entries()) {
      const r = runMlDsaBlock(signer, block);
      const cases = { total: plan.blocks.length, passed: n, failed: 1, skipped: 0 };
      if (r.problem) return { ...problemVerdict(what, `iteration ${r.problem.iteration}`, r.problem, ev), evidence: { ...ev, cases } };
      const expected = ACCUMULATED_MLDSA_BLOCKS[alg][block];
      if (r.digest !== expected) {
        const first = block * BLOCK_SIZE;
        return fail(
          `${what}: block ${block} (tests ${first}..${first + BLOCK_SIZE - 1}) digest ${r.digest!.slice(0, 16)}… differs from its checkpoint ${expected.slice(0, 16)}…`,
          {
            ...ev,
            cases,
            expectedDigest: expected,
            actualDigest: r.digest,
            firstFailure: {
              case: `block ${block}`,
              field: 'digest',
              message: `tests ${first}..${first + BLOCK_SIZE - 1} differ from the checkpoint`,
            },
          },
        );
      }
    }
    return pass({ ...ev, cases: { total: plan.blocks.length, passed: plan.blocks.length, failed: 0, skipped: 0 } });
  });
}

/** kat/xwing: keygen, encaps (with the vector's eseed) and decaps over the backend's ML-KEM-768. */
export function runXWing(
  backend: CryptoBackend,
  files: { file: string; cases: XWingCase[] }[],
  hashes: ReadonlyMap<string, string>,
): Verdict {
  if (!backend.kems.includes('ML-KEM-768')) return unsupported(`backend ${backend.name} has no ML-KEM-768`);
  const xw = createXWing(backend);
  const tally = new Tally(hashes);
  for (const { cases } of files) {
    for (const c of cases) {
      tally.run({ file: c.file, tcId: c.tcId }, () => {
        const { pk } = xw.keygen(c.seed);
        const enc = xw.encaps(pk, c.eseed);
        const ss = xw.decaps(c.seed, c.ct);
        return compareFields(['pk', c.pk, pk], ['ct', c.ct, enc.ct], ['ss', c.ss, enc.ss], ['ss (decapsulated)', c.ss, ss]);
      });
    }
  }
  return tally.verdict('X-Wing');
}
