// Mutant vector directory: the real vectors plus a copy of the sample
// ML-KEM-768 Wycheproof encaps file with a test missing its required "m".
// kat/lint must fail it.
import { withTheRest, wycheproofDefect } from '../../fixtures/vector-defects.ts';

export default async function schemaViolation(vectorsDir: string): Promise<string> {
  const dir = wycheproofDefect(vectorsDir, (f) => {
    delete f.testGroups.flatMap((g: any) => g.tests)[0].m;
  });
  return withTheRest(vectorsDir, dir);
}
