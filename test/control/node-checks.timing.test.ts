// The control checks on real node processes (3 nodes, the pr size) pass on
// the reference node and fail on the mutant nodes registered against them.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { NODE_CHECKS, nodeControlChecks } from '../../suites/control/index.ts';
import { controlMutants } from '../../suites/control/mutants.ts';

const MUTANTS: Record<string, [string, RegExp][]> = {
  'control/nodes/quorum/minority-commits': [['commits-in-minority', /safety: invalid|minority .* committed/]],
  'control/nodes/heal/converges': [['adopts-only-own-certificates', /convergence: invalid/]],
};
const ctx = { seed: 1, profile: 'pr' as const };
const module = (name: string) => resolve(import.meta.dirname, `../mutants/control/${name}.ts`);

let backend: CryptoBackend;
beforeAll(async () => {
  backend = await loadBackend('auto');
});

describe.each(NODE_CHECKS.map(([family]) => [family] as const))('%s', (family) => {
  const check = (mutant?: string) => nodeControlChecks([backend], 'pr', mutant).find((c) => c.family === family)!;
  it('passes on the reference node', async () => {
    const v = await check().run(ctx);
    expect(v.reason).toBeUndefined();
    expect(v.status).toBe('pass');
    expect(v.evidence.nodes).toBe(3);
  }, 90_000);
  it.each(MUTANTS[family])(
    'fails on the mutant node %s',
    async (name, re) => {
      const v = await check(module(name)).run(ctx);
      expect(v.status).toBe('fail');
      expect(v.reason).toMatch(re);
    },
    90_000,
  );
});

it('the declared kill lists of the real-process families are the ones tested here', () => {
  const tested = Object.entries(MUTANTS).flatMap(([id, ms]) => ms.map(([m]) => `${m} -> ${id}`));
  const declared = controlMutants.flatMap((m) => m.kills.filter((k) => k.startsWith('control/nodes/')).map((k) => `${m.name} -> ${k}`));
  expect(declared.sort()).toEqual(tested.sort());
  expect(nodeControlChecks([backend], 'release').map((c) => c.id)).toEqual([
    'control/nodes/quorum/minority-commits/5',
    'control/nodes/quorum/minority-commits/7',
    'control/nodes/heal/converges/5',
    'control/nodes/heal/converges/7',
  ]);
});
