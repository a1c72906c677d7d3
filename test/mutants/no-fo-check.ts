// Mutant: decapsulation without the Fujisaki-Okamoto re-encryption check
// (FIPS 203 Alg. 18 lines 8-11 dropped): a tampered ciphertext is never
// rejected, and often still decrypts to the honest secret.
import { createRefMlKem } from './mlkem-ref.ts';
import { mutate } from './wrap.ts';

export default async () =>
  mutate('no-fo-check', {
    kem: (honest) => ({ decaps: createRefMlKem(honest.alg, { ciphertextCompare: 'skip' }).decaps }),
  });
