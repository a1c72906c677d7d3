// Block checkpoints of the 10 000-test ML-DSA accumulated runs. The CCTV
// procedure (accumulated.ts) reduces all 10 000 tests to one digest, so only
// a full run can be checked against it. Its inputs are a plain SHAKE-128
// stream, 32 bytes per test, so any test can be started on its own; these
// checkpoints cut the run into 16 blocks of 625 tests and keep, per block,
// SHAKE-128 over the same bytes the procedure absorbs (pk, then signature,
// per test) for that block alone. A backend can then run any set of blocks
// and have each one checked, with no other backend involved.
//
// Source: computed by `npx tsx vectors/accumulated-blocks.ts` with the
// liboqs backend (@oqs/liboqs-js 0.15.1) in a single pass that also
// reproduced the published 10 000-test digest (ACCUMULATED_MLDSA), so every
// block digest is of the outputs the published digest stands for.
import { shake128 } from '@noble/hashes/sha3.js';
import type { SigAlg } from '../src/crypto/algorithms.ts';
import type { Signer } from '../src/crypto/backend.ts';
import { ACCUMULATED_MLDSA, type AccumulatedProblem, hex, mlDsaIteration, unverifiedSignature } from './accumulated.ts';

export const BLOCK_COUNT = 16;
export const BLOCK_SIZE = 625;
/** Bytes of the input stream each ML-DSA test reads (its keygen seed). */
const SEED_BYTES = 32;

export const ACCUMULATED_MLDSA_BLOCKS: Readonly<Record<SigAlg, readonly string[]>> = {
  'ML-DSA-44': [
    '6ebeede64f5937078db57dad8566602fb8f10897f5a7c5f8e318cd1b0bdf3773',
    '755cbb34992a9d1ab929d7a50f8ddcd6e74ea405a6fc1ba021c5c4041aa40e58',
    '7020f626bbbaa1a87c8854a28268f73092a2573eb9134a737ad3c144faf2445a',
    '924d2051cce30f49f0dda08315277151cede723e3201b1364b0262d00e49c547',
    '72533a70b341de11f0412dd68ac7e379c7f6a6b9ea59f16e248bb4a75184f615',
    'da5b3be5fd11e9b3d2c676ad73070192137d85408752f89a72c893d41efd2437',
    '8628d5d5291df651852201d5f0da4838f35c65a84fff598de70e56009a4a7c56',
    'adaf41b2f8b7b68508c81af1cf0221dc78e8ba65f0b81eac55a55663a78d0cd3',
    '9605b065a1220775edf323dbfe3e3bef408474e768002e639b31afeb38d1550d',
    '3622df8e06bfad22d6dc14208386436ebde2eca52a2c917b828ac94828d37f9b',
    'ffd8eab417fed761180680883aa175a82a74481e5b39def60be02cae8bd108bd',
    '47c0a5051788d0972fdc1d15291ca2772be0105ab2c52a07f9b285f2045e5a3f',
    'a6f9366e6ae301aef399d86271b0eb152844f65fd9f56721ee8f493930c82570',
    '39908f026e8e68eb9fa29072e18fbe3f7d2586a4a2470acf4fa1748dfe13dcb1',
    '97508828aab45ed7685d89c54c08ed56f8708061a0dcd69f7833952822b4c2fa',
    'd61bf8ca32975169dc6d7f15a8f167076f773f665ac4601d5aba3e63f4c00b76',
  ],
  'ML-DSA-65': [
    'd11ee181c5226ffdaeaa3371264c0e15d75ccea68a7fba5d785f06b9a8191a7b',
    'aa26ef85f6c7d4a20ff202b5e38ed4ed05764fee3866a20a18ec0c08865f62c9',
    '597616aa9f1e14ad79903343ddf186eb25afe7c09dec9211d68434bf75189923',
    '4489c8e236629ec4510b84ba57f8d92b828b1d5e86ac817ecb83a932c3428414',
    'ea3b977d55cef3f849ae2713cd4570c77de2163724c7a0baa945084c06395901',
    'f19291b8b262c39068599cb8fc3a6ed1bf72582ad9b408a883fca2ed71232d8b',
    '11bdeccec61a529bb69b4a71d3b7bb1dee8a300dd7fbcfc71213fa97ae28a66b',
    'd61deb9f73c2652519a7f14d15e33cda7b7b88bf97b980d0ed53fde362e10de4',
    '618cdb8ebf91c382f3106620ff2d0205bae9f3b677205b4da0051136f3619f4e',
    '7f415ef521f5d7f4bd8844f5d159c9306841f6c889aa4eb510df669067d123d5',
    '89305becbb94327489d6ddb70e6b0a42af638df4663ba4f5c1025eb330fa8240',
    'db7d88590c24cf5d529bb31872fa9b312f3820b64320f32b34fd88d77017edd5',
    'a12ac393085875b0aa2182af18affad06a0b09e6e4557e7eb73ea826ed2eab98',
    'e17a7e6b5df856469b2a4e864d819945056ef7c1c29160e7f6a10f0ebcf7fda3',
    '0d84a207345f84a300b603f577ab989e1b35b6f6a97283dd33f42b000b887a71',
    'b909a34734cf530aefa5323996f8271457fe2eb0f43062c58facbe197c3cbb97',
  ],
  'ML-DSA-87': [
    '11072ef8adb584e0948ff7401f2f1aa7d4a373378b8ffa899bb674e0a41ac58d',
    'b6b1f251805c8ed5d53cca3dd6447304bb33edb949be850df3caa792389afe74',
    '0fafd88c4f1d92ecdbb8924cf23df07a07fd5863f4897621937f82c755f7ec86',
    '0b844945e5d660cfc0a2f3347dfd8db775daf2294b3f6ba344e572411e3fa4dd',
    '6b6291278452743ada1d8fad0b238a4ce6a8504d3c881db98acf8ef2d6374269',
    '23ab46d9e8564159d8d0f3cc3effac30573b9a36211afa6b41116e62e23c1912',
    '4335d2d67041cf6920c653347bafdf204cc7a81ce7f2b3d9079fbfbe75eff985',
    'e4ea8fc4007039b78f58f99751e9da2578af75baa9b4056501ef41194de47866',
    '7392432ac5563bcd9cced57d69fa156759cd1cbc78e3e8767b29f054a8913418',
    'e6dd1a103c4c9e24b0621ca94bb11af8e4c946778435e675989438850e6d6c8c',
    'df7f1d1ee5d14791a2bf637eecfbd29d84581b07c70d8225436b61b3c21e5f73',
    '950a7b8843ea5e6c933210df0e83250c4eb59af7b0c5326fef3dfe1125dd076a',
    '7f7d0f66825d6cdc51d9fda9973dd457109a020f4159857c22e69a9013597eeb',
    '019a90aebdd6a5d7c311cee95f74be410ec10cdf5ced909d874426922464e154',
    'd4e03cda86b1df75c8ad7a4503825e8f3775c89950fa14ecab83ce2213f9a966',
    '413a6f306e302ca7c091fdeab0e68b315e3f4f8288d79f3c6c6f8165dca10665',
  ],
};

export interface BlockResult {
  block: number;
  digest?: string;
  problem?: AccumulatedProblem;
}

/** The input stream positioned at the first test of `block`. */
function inputAt(block: number) {
  const input = shake128.create({});
  const skip = block * BLOCK_SIZE * SEED_BYTES;
  // Squeeze and drop in chunks: the position is what matters, not the bytes.
  for (let left = skip; left > 0; left -= Math.min(left, 1 << 16)) input.xof(Math.min(left, 1 << 16));
  return input;
}

/** Runs one block of the 10 000-test ML-DSA run; stops at the first signature that does not verify. */
export function runMlDsaBlock(signer: Signer, block: number): BlockResult {
  const input = inputAt(block);
  const acc = shake128.create({});
  for (let j = 0; j < BLOCK_SIZE; j++) {
    const i = block * BLOCK_SIZE + j;
    const { pk, sig, verified } = mlDsaIteration(signer, input.xof(SEED_BYTES));
    if (!verified) return { block, problem: unverifiedSignature(i) };
    acc.update(pk).update(sig);
  }
  return { block, digest: hex(acc.xof(32)) };
}

/** One pass over all 10 000 tests: the procedure's digest and every block digest (how the table above is made). */
export function computeMlDsaBlocks(signer: Signer): { digest: string; blocks: string[] } {
  const input = shake128.create({});
  const whole = shake128.create({});
  const blocks: string[] = [];
  for (let b = 0; b < BLOCK_COUNT; b++) {
    const acc = shake128.create({});
    for (let j = 0; j < BLOCK_SIZE; j++) {
      const i = b * BLOCK_SIZE + j;
      const { pk, sig, verified } = mlDsaIteration(signer, input.xof(SEED_BYTES));
      if (!verified) throw new Error(unverifiedSignature(i).message);
      whole.update(pk).update(sig);
      acc.update(pk).update(sig);
    }
    blocks.push(hex(acc.xof(32)));
  }
  return { digest: hex(whole.xof(32)), blocks };
}

// Regenerates the table: npx tsx vectors/accumulated-blocks.ts [backend]
if (import.meta.url === `file://${process.argv[1]}`) {
  const { loadBackend } = await import('../src/crypto/select.ts');
  const backend = await loadBackend(process.argv[2] ?? 'liboqs');
  for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const) {
    const r = computeMlDsaBlocks(backend.sig(alg));
    if (r.digest !== ACCUMULATED_MLDSA[alg][10000]) throw new Error(`${alg}: ${backend.name} does not reproduce the published digest`);
    process.stdout.write(`  '${alg}': [\n${r.blocks.map((d) => `    '${d}',\n`).join('')}  ],\n`);
  }
}
