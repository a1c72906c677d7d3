// The crypto property suite: for every algorithm on every backend, round
// trips, tampering, context binding, determinism and interop.
import { createNobleBackend } from '../../src/crypto/noble.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import type { Check } from '../../src/harness/evidence.ts';
import type { Suite, SuiteEnv } from '../../src/harness/suite.ts';
import { kemChecks } from './kem.ts';
import type { PropertyCheckSpec } from './plan.ts';
import { sigChecks } from './sig.ts';

/** noble is the reference: pure, fully deterministic, and checked against every NIST vector by the kat suite. */
let reference: CryptoBackend | undefined;
function referenceBackend(): CryptoBackend {
  reference ??= createNobleBackend();
  return reference;
}

export function buildCryptoChecks(backends: readonly CryptoBackend[], ref = referenceBackend()): Check[] {
  const checks: Check[] = [];
  for (const backend of backends) {
    // Interop partners: the reference plus every other selected backend.
    const peers = [ref, ...backends.filter((p) => p !== backend && p.name !== ref.name)];
    const spec: PropertyCheckSpec = { backend, reference: ref, peers };
    for (const alg of backend.kems) checks.push(...kemChecks(spec, alg));
    for (const alg of backend.sigs) checks.push(...sigChecks(spec, alg));
  }
  return checks;
}

export const cryptoSuite: Suite = {
  name: 'crypto',
  checks: (env: SuiteEnv) => buildCryptoChecks(env.backends),
};
