// Mutant vector directory (ACVP-Server #460): the real vectors plus a copy of
// the ML-KEM encapDecap set whose negative ML-KEM-768 encapsulationKeyCheck
// keys are one byte short, so a backend without the modulus check passes
// them. kat/lint must fail it.
import { acvpDefect, negatives, withTheRest } from '../../fixtures/vector-defects.ts';

export default async function shortNegativeEk(vectorsDir: string): Promise<string> {
  const dir = acvpDefect(vectorsDir, (pair) => {
    for (const t of negatives(pair, 'ML-KEM-768', 'encapsulationKeyCheck')) t.ek = t.ek.slice(0, -2);
  });
  return withTheRest(vectorsDir, dir);
}
