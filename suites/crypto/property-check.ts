// How much each property check runs, and what it is compared against.
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import type { Check, Profile, Verdict } from '../../src/check/evidence.ts';
import { deriveSeed } from '../../src/check/property.ts';

export interface PropertyCheckSpec {
  /** The backend under test. */
  backend: CryptoBackend;
  /** The reference implementation every deterministic output must equal byte for byte. */
  reference: CryptoBackend;
  /** Other implementations it must interoperate with (always includes the reference). */
  peers: readonly CryptoBackend[];
}

/** fast-check runs per property: signatures cost more than KEM operations. */
const RUNS: Record<Profile, Record<'kem' | 'sig', number>> = {
  pr: { kem: 12, sig: 4 },
  release: { kem: 200, sig: 50 },
};

export function runsFor(profile: Profile, family: 'kem' | 'sig'): number {
  return RUNS[profile][family];
}

/**
 * A property check with id crypto/<kind>/<alg>: its seed derives from the
 * run seed and its id and backend, its run count from the profile.
 */
export function propertyCheck(
  backendName: string,
  family: 'kem' | 'sig',
  alg: string,
  kind: string,
  title: string,
  run: (seed: number, runs: number) => Verdict,
): Check {
  const id = `crypto/${kind}/${alg}`;
  return {
    id,
    title,
    backend: backendName,
    run: (ctx) => run(deriveSeed(ctx.seed, `${id}@${backendName}`), runsFor(ctx.profile, family)),
  };
}
