// The crypto property suite: for every algorithm on every backend, round
// trips, tampering, context binding, determinism and interop.
import { createNobleBackend } from '../../src/crypto/noble.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { fail, pass, type Check } from '../../src/check/evidence.ts';
import type { HarnessSuite, SuiteEnv } from '../env.ts';
import { kemChecks } from './kem.ts';
import type { PropertyCheckSpec } from './property-check.ts';
import { sigChecks } from './sig.ts';

/** noble is the reference: pure, fully deterministic, and checked against every NIST vector by the kat suite. */
let reference: CryptoBackend | undefined;
function referenceBackend(): CryptoBackend {
  reference ??= createNobleBackend();
  return reference;
}

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

/**
 * The implementation a backend's deterministic outputs must equal: the
 * reference, or for the reference itself another selected deterministic
 * backend, so that no backend is only ever compared with itself.
 */
function comparisonFor(backend: CryptoBackend, backends: readonly CryptoBackend[], ref: CryptoBackend): CryptoBackend {
  if (backend.name !== ref.name) return ref;
  return backends.find((b) => b.name !== ref.name && b.deterministic) ?? ref;
}

export function buildCryptoChecks(backends: readonly CryptoBackend[], ref = referenceBackend()): Check[] {
  const checks: Check[] = [];
  for (const backend of backends) {
    // Interop partners: the reference plus every other selected backend.
    const peers = [ref, ...backends.filter((p) => p !== backend && p.name !== ref.name)];
    const spec: PropertyCheckSpec = { backend, reference: comparisonFor(backend, backends, ref), peers };
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
