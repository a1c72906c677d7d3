// The backends with one seeded bug that the crypto property families must catch.
import type { MutantSpec } from '../mutant.ts';

const backend = (name: string, kills: string[]): MutantSpec => ({ name, kind: 'backend', module: `test/mutants/${name}.ts`, kills });

export const cryptoMutants: readonly MutantSpec[] = [
  backend('flipped-ss-bit', ['crypto/roundtrip/*']),
  backend('truncated-signature', ['crypto/roundtrip/*']),
  backend('refuses-everything', ['crypto/roundtrip/*']),
  backend('rejection-without-secret', ['crypto/implicit-rejection/*']),
  backend('verify-accepts-all', ['crypto/negative/*']),
  backend('no-fo-check', ['crypto/negative/*']),
  backend('ignores-context', ['crypto/context/*']),
  backend('ignores-seed', ['crypto/determinism/*']),
  backend('ignores-rnd', ['crypto/determinism/*']),
  backend('hedged-is-deterministic', ['crypto/determinism/*']),
  backend('shifted-seed', ['crypto/determinism/*']),
  backend('reversed-ek', ['crypto/interop/*']),
  backend('reversed-pk', ['crypto/interop/*']),
  backend('no-algorithms', ['crypto/algorithms']),
];
