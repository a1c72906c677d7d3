// The release plan for accumulated tests and the ML-DSA checkpoint blocks:
// noble samples blocks only when another backend takes the full run, ML-KEM
// always runs in full, each block is checked against its checkpoint, and a
// defect that only changes signature bytes fails the block that holds it.
import { describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { SAMPLED_BLOCKS, accumulatedPlan, fullRunners, sampleBlocks } from '../../suites/kat/accumulated-plan.ts';
import { runAccumulated } from '../../suites/kat/regenerated.ts';
import { ACCUMULATED_MLDSA_BLOCKS, BLOCK_COUNT, BLOCK_SIZE } from '../../vectors/accumulated-blocks.ts';
import rareHedge from '../mutants/mldsa-rare-hedge.ts';
import { explain } from './setup.ts';

const noble = createNobleBackend();

describe('accumulated release plan', () => {
  it('samples noble ML-DSA blocks only when another deterministic backend takes the full run; ML-KEM always in full', async () => {
    const liboqs = await loadBackend('liboqs');
    expect(fullRunners(noble, 'ML-DSA-65', [noble, liboqs])).toEqual(['liboqs']);
    expect(fullRunners(noble, 'ML-DSA-65', [noble])).toEqual([]);
    expect(fullRunners(liboqs, 'ML-DSA-65', [noble, liboqs])).toEqual([]);
    const plan = accumulatedPlan('ML-DSA-65', 'release', 42, ['liboqs']);
    expect(plan).toMatchObject({ kind: 'blocks', seed: 42, fullRunOn: ['liboqs'] });
    expect(accumulatedPlan('ML-DSA-65', 'release', 42, [])).toEqual({ kind: 'full', size: 10000 });
    expect(accumulatedPlan('ML-DSA-65', 'pr', 42, ['liboqs'])).toEqual({ kind: 'full', size: 100 });
    // The 1-in-4096 ML-KEM defect must stay caught: ML-KEM is never sampled.
    expect(accumulatedPlan('ML-KEM-512', 'release', 42, ['liboqs'])).toEqual({ kind: 'full', size: 10000 });
  });

  it('picks SAMPLED_BLOCKS distinct blocks from the seed, the same for the same seed, others for others', () => {
    const a = sampleBlocks(1, 'ML-DSA-44');
    expect(a).toEqual(sampleBlocks(1, 'ML-DSA-44'));
    expect(new Set(a).size).toBe(SAMPLED_BLOCKS);
    for (const b of a) expect(b >= 0 && b < BLOCK_COUNT).toBe(true);
    const seen = new Set<number>();
    for (let seed = 0; seed < 32; seed++) for (const b of sampleBlocks(seed, 'ML-DSA-44')) seen.add(b);
    expect(seen.size, 'over 32 release runs every block is covered').toBe(BLOCK_COUNT);
  });
});

describe('ML-DSA checkpoint blocks', () => {
  let liboqs: CryptoBackend;
  const blocks = (b: number[]) => ({ kind: 'blocks' as const, blocks: b, seed: 0, fullRunOn: ['test'] });

  it('has 16 checkpoints per parameter set', () => {
    for (const d of Object.values(ACCUMULATED_MLDSA_BLOCKS)) expect(d.length).toBe(BLOCK_COUNT);
  });

  it('an honest backend matches the checkpoint of a late block (the input stream is positioned, not replayed)', async () => {
    liboqs = await loadBackend('liboqs');
    const v = runAccumulated(liboqs, 'ML-DSA-44', blocks([15]));
    expect(v.status, explain(v)).toBe('pass');
    expect(v.evidence).toMatchObject({ iterations: BLOCK_SIZE, sample: { blocks: [15], of: 16 } });
  }, 60_000);

  it('mldsa-rare-hedge (valid but different signatures for 1 key in 256) fails the block holding such a key', async () => {
    liboqs ??= await loadBackend('liboqs');
    const v = runAccumulated(await rareHedge(liboqs), 'ML-DSA-44', blocks([15]));
    expect(v.status, explain(v)).toBe('fail');
    expect(v.reason).toMatch(/block 15 \(tests 9375\.\.9999\) digest .* differs from its checkpoint/);
  }, 60_000);
});
