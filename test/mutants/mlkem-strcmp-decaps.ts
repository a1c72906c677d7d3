// Mutant: decapsulation compares the ciphertext with its re-encryption like C
// strcmp, stopping at the first zero byte (Alg. 18 line 9), so some invalid
// ciphertexts skip implicit rejection. Keygen and encaps stay honest.
import { createRefMlKem } from './mlkem-ref.ts';
import { mutate } from './wrap.ts';

export default async () =>
  mutate('mlkem-strcmp-decaps', {
    kem: (honest) => ({ decaps: createRefMlKem(honest.alg, { ciphertextCompare: 'strcmp' }).decaps }),
  });
