// Fallback controllers with one seeded bug that the fallback checks must catch.
import type { MutantSpec } from '../mutant.ts';

const controller = (name: string, kills: string[]): MutantSpec => ({
  name,
  kind: 'fallback',
  module: `test/mutants/mesh/${name}.ts`,
  kills,
});

export const fallbackMutants: readonly MutantSpec[] = [
  controller('fallback-ttl-only-logs', ['fallback/ttl-fails-closed']),
  controller('fallback-expiry-exits-zero', ['fallback/ttl-fails-closed']),
  controller('fallback-recovery-keeps-gauge', ['fallback/recovers']),
  controller('fallback-recovery-never-resolves', ['fallback/recovers']),
  controller('fallback-recovery-keeps-ttl', ['fallback/recovers']),
];
