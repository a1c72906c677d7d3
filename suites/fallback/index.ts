// The fallback suite: the reference fallback controller held to its contract
// (alert, gauge, TTL fail-closed with exit code 3, recovery). The same check
// functions fail on the seeded mutant in test/mutants/mesh.
import { checkFallbackExpiresClosed, checkFallbackRecovers } from './checks.ts';
import { createFallbackController } from '../../src/mesh/fallback/controller.ts';
import type { Check } from '../../src/check/evidence.ts';
import type { HarnessSuite } from '../env.ts';

export const fallbackSuite: HarnessSuite = {
  name: 'fallback',
  checks: (env): Check[] => {
    const factory = env.fallback ?? createFallbackController;
    return [
      {
        id: 'fallback/ttl-fails-closed',
        title: 'fallback alerts, sets pqc_fallback_enabled and fails closed with exit code 3 when the TTL runs out',
        run: () => checkFallbackExpiresClosed(factory),
      },
      {
        id: 'fallback/recovers',
        title: 'fallback restores PQC, resets the gauge and resolves the alert when PQC works again',
        run: () => checkFallbackRecovers(factory),
      },
    ];
  },
};
