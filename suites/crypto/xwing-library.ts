// X-Wing checks for a library with its own X-Wing (draft-connolly-cfrg-xwing-
// kem §5), for the ecosystem matrix: the draft's vectors, and byte-for-byte
// interop with this harness's X-Wing (src/crypto/xwing.ts over noble), both
// directions, with the same seeds and eseeds.
import { XWING_SIZES } from '../../src/crypto/algorithms.ts';
import type { AsyncLibrary, AsyncXWing } from '../../src/crypto/adapters/async-library.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createXWing } from '../../src/crypto/xwing.ts';
import { describeDifference } from '../../src/check/bytes.ts';
import { fail, pass, skip, type Check } from '../../src/check/evidence.ts';
import { deriveSeed } from '../../src/check/property.ts';
import type { XWingCase } from '../../vectors/xwing.ts';
import { caseBytes } from './pairwise.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function firstVectorFailure(xw: AsyncXWing, c: XWingCase): Promise<string | undefined> {
  const { pk } = await xw.keygen(c.seed);
  const enc = await xw.encaps(c.pk, c.eseed);
  for (const [field, want, got] of [
    ['pk', c.pk, pk],
    ['ct', c.ct, enc.ct],
    ['ss', c.ss, enc.ss],
    ['ss (decapsulated)', c.ss, await xw.decaps(c.seed, c.ct)],
  ] as const) {
    const d = describeDifference(field, want, got);
    if (d !== true) return d;
  }
  return undefined;
}

export function xwingVectorsCheck(lib: AsyncLibrary, files: readonly { file: string; cases: XWingCase[] }[]): Check {
  return {
    id: 'matrix/xwing/vectors',
    title: `X-Wing draft vectors through ${lib.name}'s own X-Wing`,
    backend: lib.name,
    async run() {
      const xw = lib.xwing;
      if (!xw) return skip(`${lib.name} has no X-Wing`);
      if (!files.length) return skip('no X-Wing vector files in the vectors directory');
      let total = 0;
      for (const { file, cases } of files)
        for (const c of cases) {
          total++;
          let why: string | undefined;
          try {
            why = await firstVectorFailure(xw, c);
          } catch (e) {
            why = `threw: ${(e as Error).message}`;
          }
          if (why) return fail(why, { firstFailure: { case: `tcId ${c.tcId}`, file, tcId: c.tcId, message: why }, version: lib.version });
        }
      return pass({ cases: { total, passed: total, failed: 0, skipped: 0 }, vectorFiles: files.map((f) => f.file), version: lib.version });
    },
  };
}

/** Interop with src/crypto/xwing.ts over `reference` (noble): keys from each side, encapsulation by the other, same bytes. */
export function xwingInteropCheck(lib: AsyncLibrary, reference: CryptoBackend): Check {
  const id = 'matrix/xwing/interop';
  return {
    id,
    title: `${lib.name}'s X-Wing agrees byte for byte with the harness's X-Wing over ${reference.name}`,
    backend: lib.name,
    async run(ctx) {
      const xw = lib.xwing;
      if (!xw) return skip(`${lib.name} has no X-Wing`);
      const ours = createXWing(reference);
      const seed = deriveSeed(ctx.seed, `${id}@${lib.name}`);
      const runs = ctx.profile === 'pr' ? 2 : 8;
      const evidence = { comparedWith: `src/crypto/xwing.ts over ${reference.name} (${reference.version})`, seed, runs };
      for (let i = 0; i < runs; i++) {
        const sk = caseBytes(seed, 'sk', i, XWING_SIZES.sk);
        const eseed = caseBytes(seed, 'eseed', i, XWING_SIZES.eseed);
        try {
          const { pk } = await xw.keygen(sk);
          const want = ours.keygen(sk);
          const steps: [string, Uint8Array, Uint8Array][] = [['pk from the same seed', want.pk, pk]];
          const theirs = await xw.encaps(want.pk, eseed);
          const mine = ours.encaps(want.pk, eseed);
          steps.push(['ct from the same eseed', mine.ct, theirs.ct], ['ss from the same eseed', mine.ss, theirs.ss]);
          steps.push([`harness decapsulating ${lib.name}'s ct`, theirs.ss, ours.decaps(sk, theirs.ct)]);
          steps.push([`${lib.name} decapsulating the harness's ct`, mine.ss, await xw.decaps(sk, mine.ct)]);
          for (const [field, w, g] of steps) {
            const d = describeDifference(field, w, g);
            if (d !== true) return fail(d, { ...evidence, firstFailure: { case: `case ${i} (sk ${hex(sk)})`, message: d } });
          }
        } catch (e) {
          const m = `threw: ${(e as Error).message}`;
          return fail(m, { ...evidence, firstFailure: { case: `case ${i}`, message: m } });
        }
      }
      return pass(evidence);
    },
  };
}
