// Mutant vector directory (ACVP-Server #459): the real vectors plus a copy of
// the ML-KEM encapDecap set whose ML-KEM-768 decapsulationKeyCheck cases have
// no dk. kat/lint must fail it.
import { acvpDefect, groupOf, withTheRest } from '../../fixtures/vector-defects.ts';

export default async function missingDk(vectorsDir: string): Promise<string> {
  const dir = acvpDefect(vectorsDir, (pair) => {
    for (const t of groupOf(pair, 'ML-KEM-768', 'decapsulationKeyCheck').tests) delete t.dk;
  });
  return withTheRest(vectorsDir, dir);
}
