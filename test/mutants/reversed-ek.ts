// Mutant: a private encoding of the encapsulation key (bytes reversed) that
// round-trips with itself but with no other implementation.
import { mutate } from './wrap.ts';

const reversed = (b: Uint8Array) => Uint8Array.from(b).reverse();

export default async () =>
  mutate('reversed-ek', {
    kem: (honest) => ({
      keygen(seed) {
        const { ek, dk } = honest.keygen(seed);
        return { ek: reversed(ek), dk };
      },
      encaps: (ek, m) => honest.encaps(reversed(ek), m),
    }),
  });
