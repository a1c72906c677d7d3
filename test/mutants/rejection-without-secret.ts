// Mutant: implicit rejection derives the fake secret from the ciphertext
// alone (J(c) instead of J(z || c)), so anyone can predict it.
import { shake256 } from '@noble/hashes/sha3.js';
import { mutate } from './wrap.ts';

export default async () =>
  mutate('rejection-without-secret', {
    kem: (honest) => ({
      decaps(dk, ct) {
        const k = honest.decaps(dk, ct);
        const z = dk.subarray(dk.length - 32);
        const rejected = shake256(new Uint8Array([...z, ...ct]), { dkLen: 32 });
        const isRejection = k.every((b, i) => b === rejected[i]);
        return isRejection ? shake256(ct, { dkLen: 32 }) : k;
      },
    }),
  });
