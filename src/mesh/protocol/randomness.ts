// Where a node's random bytes enter the protocol. Every draw a handshake
// makes (ephemeral KEM keys, encapsulation randomness, signing randomness,
// nonces) goes through one `DrawRandom`, built from a `RandomSource` by the
// `drawRandom` seam of MeshProtocol. The reference refuses a source that
// throws or returns fewer bytes than asked (docs/mesh.md §3.7): a key or
// nonce made from missing randomness must never reach the wire.
import { randomBytes } from 'node:crypto';
import { MeshError } from './errors.ts';

/** What a draw is for; the failure reason names it. */
export type RandomPurpose = 'keygen' | 'encaps' | 'signing' | 'nonce';

/**
 * A source of random bytes: the system CSPRNG, or a failing one in the
 * rng-failure checks (which is why it is told the purpose; the system one
 * ignores it). It may throw or return short; the draw seam decides.
 */
export type RandomSource = (length: number, purpose: RandomPurpose) => Uint8Array;

/** Exactly `length` random bytes for `purpose`, or a MeshError. */
export type DrawRandom = (length: number, purpose: RandomPurpose) => Uint8Array;

export const systemRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));

/** The reference draw: a throwing source or a short read is `rng_failure` (§3.7.1, §3.7.2). */
export function strictDraw(source: RandomSource, length: number, purpose: RandomPurpose): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = source(length, purpose);
  } catch (e) {
    throw new MeshError('rng_failure', `randomness source failed drawing ${length} bytes for ${purpose}: ${(e as Error).message}`);
  }
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new MeshError('rng_failure', `randomness source returned ${got} for ${purpose}, ${length} asked`);
  }
  return bytes;
}

export const systemDraw: DrawRandom = (length, purpose) => strictDraw(systemRandom, length, purpose);
