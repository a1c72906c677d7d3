// The seams of the reference protocol, gathered in one object. Production
// code always uses `referenceProtocol`; the mutants in test/mutants/mesh/
// replace exactly one member each, which is how a seeded defect gets into a
// node without a configuration switch that could be left on by mistake.
import { InOrderWindow, type ReplayWindow } from './channel.ts';
import { separateDirectionSecrets, transcriptSaltedExtract, type DirectionSecrets, type ExtractKey } from './keys.ts';
import type { IdentitySigner } from './ciphersuites.ts';
import type { Alert } from './wire.ts';
import { strictDraw, type RandomPurpose, type RandomSource } from './randomness.ts';

export interface MeshProtocol {
  readonly name: string;
  /** Checks a transcript signature (ACCEPT and FINISH) under the peer's certified key. */
  verifyTranscriptSignature(signer: IdentitySigner, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Gives each direction of a session its traffic secret. */
  directionSecrets: DirectionSecrets;
  /** HKDF-Extract of the KEM secret, salted with the transcript hash (§3.3.6). */
  extractKey: ExtractKey;
  /** A fresh receive-order window, one per receive epoch (strictly in order in the reference). */
  newReplayWindow(): ReplayWindow;
  /** Takes `length` bytes for `purpose` from the node's randomness source; refuses a failing source (§3.7). */
  drawRandom(source: RandomSource, length: number, purpose: RandomPurpose): Uint8Array;
  /**
   * A cleartext ALERT frame on an established session (undefined: undecodable):
   * does the node take it as the peer's? Never in the reference (§4.1.7):
   * the peer's alerts are sealed in the channel, so this one is injected.
   */
  believesCleartextAlert(alert: Alert | undefined): boolean;
}

export const referenceProtocol: MeshProtocol = {
  name: 'reference',
  verifyTranscriptSignature: (signer, publicKey, message, signature) => signer.verify(publicKey, message, signature),
  directionSecrets: separateDirectionSecrets,
  extractKey: transcriptSaltedExtract,
  newReplayWindow: () => new InOrderWindow(),
  drawRandom: strictDraw,
  believesCleartextAlert: () => false,
};
