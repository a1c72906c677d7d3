// Mutant: encapsulation returns a shared secret with its lowest bit flipped.
import { mutate } from './wrap.ts';

export default async () =>
  mutate('flipped-ss-bit', {
    kem: (honest) => ({
      encaps(ek, m) {
        const { ct, ss } = honest.encaps(ek, m);
        const bad = Uint8Array.from(ss);
        bad[0] ^= 1;
        return { ct, ss: bad };
      },
    }),
  });
