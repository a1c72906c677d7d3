import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // `npm run coverage`: what the in-process tests reach of the harness's own
    // code. Node processes the tests spawn are measured by `certify --node-coverage`.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'suites/**/*.ts', 'bench/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      // A test that fails on a loaded machine must not cost the figure.
      reportOnFailure: true,
    },
  },
});
