// Mutant: decapsulation is wrong on roughly one ciphertext in 4096: when the
// first 12 bits of SHA3-256(c) are zero, one bit of the shared secret flips.
// Deterministic in c, so a run that catches it always catches it again.
import { sha3_256 } from '@noble/hashes/sha3.js';
import { mutate } from './wrap.ts';

/** True for about 1 in 2^12 ciphertexts. */
export function isUnlucky(ct: Uint8Array): boolean {
  const h = sha3_256(ct);
  return h[0] === 0 && (h[1] & 0xf0) === 0;
}

export default async () =>
  mutate('mlkem-rare-decaps', {
    kem: (honest) => ({
      decaps(dk, ct) {
        const ss = honest.decaps(dk, ct);
        if (!isUnlucky(ct)) return ss;
        const bad = Uint8Array.from(ss);
        bad[31] ^= 0x80;
        return bad;
      },
    }),
  });
