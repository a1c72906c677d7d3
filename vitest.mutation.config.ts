// The tests Stryker runs against each mutant (npm run mutation): the
// in-process protocol, channel, gossip, quorum and fallback tests and the
// negative suites. Process-spawning tests are left out: a mutant of the
// sources under Stryker's sandbox cannot reach a child node process anyway.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/mesh/channel.test.ts',
      'test/mesh/handshake.test.ts',
      'test/mesh/mesh-mutants.test.ts',
      'test/mesh/fallback.test.ts',
      'test/mesh/alerts.test.ts',
      'test/control/gossip.test.ts',
      'test/control/quorum.test.ts',
      'test/control/membership.test.ts',
      'test/negative/negative-mutants.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
