// The closed set of reasons a mesh connection can fail. Every failure closes
// the connection with exactly one of these, and the same string labels
// pqc_handshake_failure_total{reason}, so dashboards and negative tests can
// rely on it. Adding a reason is a protocol change: update docs/mesh.md.

export const FAILURE_REASONS = [
  /** A transcript signature did not verify under the peer's certified key. */
  'bad_signature',
  /** The peer's certificate was not issued by this mesh's CA. */
  'unknown_ca',
  /** The certificate is from our CA but malformed, forged, expired or not yet valid. */
  'bad_certificate',
  /** The offer we sent is not the offer the peer saw, or a weaker suite was forced. */
  'downgrade',
  /** Key confirmation failed: the two sides derived different secrets. */
  'decap_mismatch',
  /** The handshake did not finish within its deadline. */
  'timeout',
  /** Bytes that do not decode as a frame or message of this protocol. */
  'bad_frame',
  /** A message arrived that is valid but not expected in the current state. */
  'unexpected_message',
  /** A record whose sequence number was already accepted. */
  'replay',
  /** A record under an epoch we do not hold keys for (stale or unknown). */
  'key_desync',
  /** A record that failed AEAD authentication under the current epoch. */
  'bad_record',
  /** Local policy refuses: no acceptable suite or version, unknown peer, wrong identity. */
  'policy',
  /** The peer closed the connection or sent an alert without a more precise reason. */
  'peer_closed',
  /** A bug or resource failure on our side. */
  'internal',
  /**
   * An authentic record or message arrived out of order: earlier ones were
   * dropped or reordered on the path. Appended last so the wire indexes of
   * the reasons above stay as they were.
   */
  'record_gap',
  /** The peer was revoked by a committed control-plane event (docs/control-plane.md §4): its sessions close, its handshakes are refused. */
  'revoked',
  /** The randomness source failed (threw or returned short): the handshake fails closed, docs/mesh.md §3.7. */
  'rng_failure',
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

/** A protocol failure: the connection closes and `reason` is reported. */
export class MeshError extends Error {
  readonly reason: FailureReason;
  constructor(reason: FailureReason, message: string) {
    super(`${reason}: ${message}`);
    this.name = 'MeshError';
    this.reason = reason;
  }
}

/** Maps anything thrown inside protocol code to a reason; unknown errors are bugs. */
export function reasonOf(err: unknown): FailureReason {
  return err instanceof MeshError ? err.reason : 'internal';
}
