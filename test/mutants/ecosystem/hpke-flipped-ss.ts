// Mutant async ML-KEM library: @hpke/ml-kem whose encapsulation returns a
// shared secret with one bit flipped. Its own round trip would still agree
// with itself on decapsulation of its own ciphertexts only if both sides
// were mutated; pairwise interop with any honest library sees it.
import type { AsyncLibrary } from '../../../src/crypto/adapters/async-library.ts';
import { createHpkeMlKemLibrary } from '../../../src/crypto/adapters/hpke.ts';

export default function hpkeFlippedSs(): AsyncLibrary {
  const honest = createHpkeMlKemLibrary();
  return {
    ...honest,
    name: 'mutant:hpke-flipped-ss',
    version: `${honest.version} with one seeded defect (flipped ss bit)`,
    kems: honest.kems.map((k) => ({
      ...k,
      async encaps(ek, m) {
        const { ct, ss } = await k.encaps(ek, m);
        const bad = Uint8Array.from(ss);
        bad[0] ^= 1;
        return { ct, ss: bad };
      },
    })),
  };
}
