import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importEdges, PRODUCTION_ROOTS, violations } from './layers.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('the dependency rule (docs/architecture.md)', () => {
  it('every import of production code points to its own layer or one below', () => {
    const edges = importEdges(REPO, PRODUCTION_ROOTS);
    expect(edges.length).toBeGreaterThan(200);
    expect(violations(edges)).toEqual([]);
  });

  it('names an upward import, an import of a test kit and a file in no layer', () => {
    expect(
      violations([
        { from: 'suites/kat/index.ts', to: 'src/harness/runner.ts' },
        { from: 'src/crypto/noble.ts', to: 'src/check/evidence.ts' },
        { from: 'src/mesh/node/node.ts', to: 'test/support/pki.ts' },
        { from: 'elsewhere/x.ts', to: 'src/check/evidence.ts' },
      ]),
    ).toEqual([
      'suites/kat/index.ts (suites) imports src/harness/runner.ts (harness): imports point downwards only',
      'src/mesh/node/node.ts imports test/support/pki.ts: production code never imports test/',
      'elsewhere/x.ts: belongs to no layer (add it to test/architecture/layers.ts)',
    ]);
  });
});
