// The crypto property suite: for every algorithm on every backend, round
// trips, tampering, context binding, determinism and interop.
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { independentFor, type Independent } from '../../src/crypto/independent.ts';
import { fail, pass, type Check } from '../../src/check/evidence.ts';
import type { HarnessSuite, SuiteEnv } from '../env.ts';
import { kemChecks } from './kem.ts';
import type { Comparison, PropertyCheckSpec } from './property-check.ts';
import { sigChecks } from './sig.ts';

/** What the mesh's default suite XWING-MLDSA65 needs; a backend without them cannot run a mesh. */
export const REQUIRED_ALGORITHMS = { kems: ['ML-KEM-768'], sigs: ['ML-DSA-65'] } as const;

function algorithmsCheck(backend: CryptoBackend): Check {
  return {
    id: 'crypto/algorithms',
    title: 'offers the algorithms the mesh needs (ML-KEM-768, ML-DSA-65)',
    backend: backend.name,
    run: () => {
      const missing = [
        ...REQUIRED_ALGORITHMS.kems.filter((a) => !backend.kems.includes(a)),
        ...REQUIRED_ALGORITHMS.sigs.filter((a) => !backend.sigs.includes(a)),
      ];
      const evidence = { kems: [...backend.kems], sigs: [...backend.sigs] };
      return missing.length ? fail(`backend ${backend.name} lacks ${missing.join(', ')}`, evidence) : pass(evidence);
    },
  };
}

type FindIndependent = (underTest: CryptoBackend, selected: readonly CryptoBackend[]) => Promise<Independent>;

/**
 * What `backend` is compared with: an independent implementation (liboqs for
 * noble, noble for the rest; selected or loaded) and, for interop, every
 * other selected backend too. Never the backend itself.
 */
async function comparisonFor(backend: CryptoBackend, selected: readonly CryptoBackend[], find: FindIndependent): Promise<Comparison> {
  const independent = await find(backend, selected);
  const others = selected.filter((p) => p !== backend && p.name !== backend.name);
  const peers = 'backend' in independent ? [independent.backend, ...others.filter((p) => p !== independent.backend)] : others;
  return { independent, peers };
}

export function buildCryptoChecks(backends: readonly CryptoBackend[], find: FindIndependent = independentFor): Check[] {
  const checks: Check[] = [];
  for (const backend of backends) {
    let comparison: Promise<Comparison> | undefined;
    const spec: PropertyCheckSpec = { backend, comparison: () => (comparison ??= comparisonFor(backend, backends, find)) };
    checks.push(algorithmsCheck(backend));
    for (const alg of backend.kems) checks.push(...kemChecks(spec, alg));
    for (const alg of backend.sigs) checks.push(...sigChecks(spec, alg));
  }
  return checks;
}

export const cryptoSuite: HarnessSuite = {
  name: 'crypto',
  checks: (env: SuiteEnv) => buildCryptoChecks(env.backends),
};
