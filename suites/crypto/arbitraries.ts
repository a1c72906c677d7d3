// Input generators for the crypto property checks. Kept apart from the
// properties and from the runner, so each can change alone.
import fc from 'fast-check';
import { KEM_MSG_BYTES, KEM_SEED_BYTES, SIG_RND_BYTES, SIG_SEED_BYTES } from '../../src/crypto/algorithms.ts';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

export const kemSeed = () => bytes(KEM_SEED_BYTES);
export const kemMessage = () => bytes(KEM_MSG_BYTES);
export const sigSeed = () => bytes(SIG_SEED_BYTES);
export const signingRnd = () => bytes(SIG_RND_BYTES);
export const message = () => fc.uint8Array({ minLength: 0, maxLength: 256 });
/** A non-empty FIPS 204 context string (1..255 bytes). */
export const context = () => fc.uint8Array({ minLength: 1, maxLength: 255 });
/** A bit position inside a byte string of the given length. */
export const bitIn = (length: number) => fc.nat({ max: length * 8 - 1 });

export function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(b);
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}
