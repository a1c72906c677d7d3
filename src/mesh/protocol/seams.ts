// The seams of the reference protocol, gathered in one object. Production
// code always uses `referenceProtocol`; the mutants in test/mutants/mesh/
// replace exactly one member each, which is how a seeded defect gets into a
// node without a configuration switch that could be left on by mistake.
import { InOrderWindow, type ReplayWindow } from './channel.ts';
import { separateDirectionSecrets, type DirectionSecrets } from './keys.ts';
import type { IdentitySigner } from './ciphersuites.ts';

export interface MeshProtocol {
  readonly name: string;
  /** Checks a transcript signature (ACCEPT and FINISH) under the peer's certified key. */
  verifyTranscriptSignature(signer: IdentitySigner, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Gives each direction of a session its traffic secret. */
  directionSecrets: DirectionSecrets;
  /** A fresh receive-order window, one per receive epoch (strictly in order in the reference). */
  newReplayWindow(): ReplayWindow;
}

export const referenceProtocol: MeshProtocol = {
  name: 'reference',
  verifyTranscriptSignature: (signer, publicKey, message, signature) => signer.verify(publicKey, message, signature),
  directionSecrets: separateDirectionSecrets,
  newReplayWindow: () => new InOrderWindow(),
};
