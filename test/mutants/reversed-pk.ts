// Mutant: a private encoding of the ML-DSA public key (bytes reversed) that
// signs and verifies with itself but with no other implementation. Only
// crypto/interop/ML-DSA-* can see it.
import { mutate } from './wrap.ts';

const reversed = (b: Uint8Array) => Uint8Array.from(b).reverse();

export default async () =>
  mutate('reversed-pk', {
    sig: (honest) => ({
      keygen(seed) {
        const { pk, sk } = honest.keygen(seed);
        return { pk: reversed(pk), sk };
      },
      verify: (pk, msg, sig, opts) => honest.verify(reversed(pk), msg, sig, opts),
    }),
  });
