// Mutant: for about one signing key in 256 (SHA3-256(sk) starts with a zero
// byte), deterministic signing uses rnd = 32 bytes of 0x01 instead of zeros.
// The signature still verifies; only its bytes differ from FIPS 204's
// deterministic one, so only a known-answer comparison sees it. Deterministic
// in the key, so a run that catches it always catches it again.
import { sha3_256 } from '@noble/hashes/sha3.js';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { mutate } from './wrap.ts';

export function isUnluckyKey(sk: Uint8Array): boolean {
  return sha3_256(sk)[0] === 0;
}

export default async (base?: CryptoBackend) =>
  mutate(
    'mldsa-rare-hedge',
    {
      sig: (honest) => ({
        sign(sk, msg, opts) {
          const rnd = isUnluckyKey(sk) ? new Uint8Array(32).fill(1) : opts?.rnd;
          return honest.sign(sk, msg, { ...opts, rnd });
        },
      }),
    },
    base,
  );
