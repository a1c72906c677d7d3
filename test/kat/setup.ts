// Where the tests find the shared vector data, and a cached load of it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CheckContext, Profile, Verdict } from '../../src/check/evidence.ts';
import { loadVectorDir, type LoadedVectors } from '../../vectors/discover.ts';

/** PQC_VECTORS_DIR, else ../shared/vectors beside the repository (CI and development). */
export const SHARED_VECTORS = process.env.PQC_VECTORS_DIR ?? fileURLToPath(new URL('../../../shared/vectors', import.meta.url));
export const HAVE_VECTORS = existsSync(SHARED_VECTORS);

let loaded: Promise<LoadedVectors> | undefined;
export function sharedVectors(): Promise<LoadedVectors> {
  loaded ??= loadVectorDir(SHARED_VECTORS);
  return loaded;
}

export function ctx(profile: Profile = 'pr', vectorsDir = SHARED_VECTORS): CheckContext {
  return { seed: 1, profile, vectorsDir };
}

/** One line per verdict for assertion messages. */
export function explain(v: Verdict): string {
  return `${v.status}: ${v.reason ?? ''} ${JSON.stringify(v.evidence.firstFailure ?? '')}`;
}
