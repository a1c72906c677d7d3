// Mutant: a key schedule that leaves the transcript out of HKDF-Extract (an
// empty salt), so the session keys depend on the KEM secret alone. Key
// confirmation still covers the transcript, so every handshake completes; only
// two sessions sharing one KEM secret show it (docs/mesh.md §3.3.6).
import { extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { referenceProtocol, type MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

const mutant: MeshProtocol = {
  ...referenceProtocol,
  name: 'mutant:unbound-kem-secret',
  extractKey: (sharedSecret) => extract(sha256, sharedSecret, new Uint8Array(0)),
};
export default mutant;
