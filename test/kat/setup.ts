// Where the tests find the shared vector data, and a cached load of it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import type { CheckContext, Profile, Verdict } from '../../src/check/evidence.ts';
import { loadVectorDir, type LoadedVectors } from '../../vectors/discover.ts';

/** PQC_VECTORS_DIR, else ../shared/vectors beside the repository (CI and development). */
export const SHARED_VECTORS = process.env.PQC_VECTORS_DIR ?? fileURLToPath(new URL('../../../shared/vectors', import.meta.url));
export const HAVE_VECTORS = existsSync(SHARED_VECTORS);

/** The full upstream Wycheproof files: PQC_WYCHEPROOF_FULL_DIR, else wycheproof-full beside the vectors directory. */
export const FULL_WYCHEPROOF = process.env.PQC_WYCHEPROOF_FULL_DIR ?? join(dirname(SHARED_VECTORS), 'wycheproof-full');
export const HAVE_FULL_WYCHEPROOF = existsSync(FULL_WYCHEPROOF);

/** CI=true (any truthy spelling CI systems use). */
export const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/**
 * describe() for tests that need data on disk: runs when `present`; when not,
 * skips locally but, in CI, becomes one failing test saying what is missing,
 * so a CI run never passes by skipping the known-answer tests.
 */
export function describeWithData(present: boolean, missing: string, name: string, body: () => void): void {
  if (present) describe(name, body);
  else if (IN_CI) describe(name, () => it(`needs ${missing}`, () => expectPresent(missing)));
  else describe.skip(name, body);
}

function expectPresent(missing: string): never {
  throw new Error(`CI=true but ${missing} is missing; the known-answer tests cannot run without it`);
}

/** describeWithData for the shared vectors directory. */
export function describeWithVectors(name: string, body: () => void): void {
  describeWithData(
    HAVE_VECTORS,
    `the vectors directory ${SHARED_VECTORS} (set PQC_VECTORS_DIR, or run \`pqc-harness vectors fetch --dir ${SHARED_VECTORS}\`)`,
    name,
    body,
  );
}

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
