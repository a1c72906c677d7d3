// Mutant: decapsulation without the FIPS 203 §7.3 check that dk carries
// H(ek). Everything else is honest.
import { createRefMlKem } from './mlkem-ref.ts';
import { mutate } from './wrap.ts';

export default async () =>
  mutate('mlkem-no-hash-check', {
    kem: (honest) => ({ decaps: createRefMlKem(honest.alg, { hashCheck: false }).decaps }),
  });
