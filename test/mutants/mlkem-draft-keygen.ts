// Mutant: ML-KEM key generation hashes G(d) as the draft standard did, instead
// of FIPS 203's G(d || k) (Alg. 13 line 1). Encaps and decaps stay honest.
import { createRefMlKem } from './mlkem-ref.ts';
import { mutate } from './wrap.ts';

export default async () =>
  mutate('mlkem-draft-keygen', {
    kem: (honest) => ({ keygen: createRefMlKem(honest.alg, { domainSeparatedKeygen: false }).keygen }),
  });
