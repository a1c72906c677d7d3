// How much of the accumulated tests a release run gives each backend. Every
// backend runs the full 10 000-test ML-KEM runs (a defect as rare as 1 in
// 4096 decapsulations, test/mutants/mlkem-rare-decaps.ts, shows only there).
// For ML-DSA, pure-JS noble needs ~10 minutes of CPU for the three
// 10 000-test runs, more than the whole release gate should take on 2 cores.
// When another deterministic backend in the same run takes the full run and
// its published digest, noble runs a sample of the 16 checkpoint blocks
// (vectors/accumulated-blocks.ts), chosen by the run seed so successive
// release runs cover different blocks; each block is checked on its own.
import { sha256 } from '@noble/hashes/sha2.js';
import { isKemAlg, type KemAlg, type SigAlg } from '../../src/crypto/algorithms.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { SLOW_MLDSA } from '../../src/crypto/speed.ts';
import type { Profile } from '../../src/check/evidence.ts';
import { BLOCK_COUNT } from '../../vectors/accumulated-blocks.ts';

/**
 * Blocks of 625 tests a slow backend runs per ML-DSA parameter set in release:
 * 1 250 of the 10 000 (about 65 s of noble CPU for the three sets; four blocks
 * took 134 s, more than a 10-minute release gate on 2 cores could spare).
 * The seed rotates the blocks, so eight release runs cover them all.
 */
export const SAMPLED_BLOCKS = 2;

export type AccumulatedPlan = { kind: 'full'; size: 100 | 10000 } | { kind: 'blocks'; blocks: number[]; seed: number; fullRunOn: string[] };

/** Who else in the run can take the full ML-DSA run for alg, or [] when nobody can. */
export function fullRunners(backend: CryptoBackend, alg: SigAlg, all: readonly CryptoBackend[]): string[] {
  if (!SLOW_MLDSA.has(backend.name)) return [];
  return all.filter((b) => b !== backend && b.deterministic && !SLOW_MLDSA.has(b.name) && b.sigs.includes(alg)).map((b) => b.name);
}

/** SAMPLED_BLOCKS distinct blocks, a function of the seed and the parameter set only. */
export function sampleBlocks(seed: number, alg: SigAlg): number[] {
  const order = Array.from({ length: BLOCK_COUNT }, (_, i) => i);
  const h = sha256(new TextEncoder().encode(`accumulated-blocks|${alg}|${seed >>> 0}`));
  for (let i = BLOCK_COUNT - 1; i > 0; i--) {
    const j = h[i] % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, SAMPLED_BLOCKS).sort((a, b) => a - b);
}

export function accumulatedPlan(alg: KemAlg | SigAlg, profile: Profile, seed: number, fullRunOn: readonly string[]): AccumulatedPlan {
  if (profile !== 'release') return { kind: 'full', size: 100 };
  if (isKemAlg(alg) || fullRunOn.length === 0) return { kind: 'full', size: 10000 };
  return { kind: 'blocks', blocks: sampleBlocks(seed, alg), seed, fullRunOn: [...fullRunOn] };
}
