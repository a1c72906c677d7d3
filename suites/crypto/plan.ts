// How much each property check runs, and what it is compared against.
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import type { Profile } from '../../src/harness/evidence.ts';

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
