// Mutant: encapsulation without the FIPS 203 §7.2 modulus check on ek (the
// pqclean package's behaviour). Everything else is honest.
import { createRefMlKem } from './mlkem-ref.ts';
import { mutate } from './wrap.ts';

export default async () =>
  mutate('mlkem-no-modulus-check', {
    kem: (honest) => ({ encaps: createRefMlKem(honest.alg, { modulusCheck: false }).encaps }),
  });
