// The tests Stryker runs against each mutant (npm run mutation, docs/mutation.md):
// only fast, deterministic, in-process unit tests of the mutated modules.
// Left out on purpose, because each costs seconds per mutant and Stryker runs
// every test that covers a mutant: the fuzzers (frame-fuzz, mesh-mutants), the
// whole negative suite (negative-mutants: 40 s on the reference alone), and
// anything that spawns a process (a mutant in Stryker's sandbox never reaches
// a child process).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/mesh/channel.test.ts',
      'test/mesh/record-format.test.ts',
      'test/mesh/wire.test.ts',
      'test/mesh/handshake.test.ts',
      'test/mesh/handshake-transcript.test.ts',
      'test/mesh/fallback.test.ts',
      'test/mesh/fallback-controller.test.ts',
      'test/mutants/mesh/fallback.test.ts',
      'test/control/gossip.test.ts',
      'test/control/quorum.test.ts',
      'test/control/quorum-voting.test.ts',
      'test/control/quorum-rounds.test.ts',
      'test/control/membership.test.ts',
      'test/control/plane.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
