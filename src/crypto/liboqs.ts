// Backend over @oqs/liboqs-js (liboqs compiled to WebAssembly).
//
// The library has no derandomized API: its WASM draws randomness through
// require('node:crypto').randomFillSync, once per operation (64 bytes for an
// ML-KEM keypair, 32 for encaps, 32 for an ML-DSA keypair, 32 for signing).
// Replacing that function around one synchronous call makes the call
// deterministic; it is restored before the call returns. Because every
// operation is synchronous, no other code can run while the hook is in place,
// so concurrent async callers cannot observe or consume injected bytes.
// Seed, m and rnd lengths are checked at the edge (assemble.ts, edge.ts).
import { createRequire } from 'node:module';
import { createMLDSA44, createMLDSA65, createMLDSA87, createMLKEM512, createMLKEM768, createMLKEM1024 } from '@oqs/liboqs-js';
import type { KemAlg, SigAlg } from './algorithms.ts';
import { assembleBackend } from './assemble.ts';
import { UnsupportedCapabilityError, type CryptoBackend, type Kem, type Signer } from './backend.ts';
import { packageVersion } from './version.ts';

interface OqsKem {
  generateKeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array };
  encapsulate(pk: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(ct: Uint8Array, sk: Uint8Array): Uint8Array;
}
interface OqsSig {
  generateKeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array };
  sign(msg: Uint8Array, sk: Uint8Array): Uint8Array;
  verify(msg: Uint8Array, sig: Uint8Array, pk: Uint8Array): boolean;
}

type RandomFill = <T extends ArrayBufferView>(buf: T) => T;
const nodeCrypto = createRequire(import.meta.url)('node:crypto') as { randomFillSync: RandomFill };

/** Runs op with randomFillSync answering from `chunks`, one chunk per call, exact lengths. */
export function withInjectedRandomness<T>(chunks: readonly Uint8Array[], op: () => T): T {
  const original = nodeCrypto.randomFillSync;
  let next = 0;
  nodeCrypto.randomFillSync = ((buf: ArrayBufferView) => {
    const chunk = chunks[next++];
    if (!chunk || chunk.length !== buf.byteLength) {
      throw new Error(`liboqs asked for ${buf.byteLength} random bytes (call ${next}); injected ${chunk ? chunk.length : 'nothing'}`);
    }
    new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).set(chunk);
    return buf;
  }) as RandomFill;
  try {
    const result = op();
    if (next !== chunks.length) throw new Error(`liboqs used ${next} of ${chunks.length} injected random strings`);
    return result;
  } finally {
    nodeCrypto.randomFillSync = original;
  }
}

/** liboqs-js wants plain Uint8Array, not Buffer or a subarray of a larger buffer. */
function plain(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : Uint8Array.from(b);
}

function maybeInjected<T>(bytes: Uint8Array | undefined, op: () => T): T {
  return bytes === undefined ? op() : withInjectedRandomness([plain(bytes)], op);
}

function oqsKem(alg: KemAlg, impl: OqsKem): Kem {
  return {
    alg,
    keygen(seed) {
      const { publicKey, secretKey } = maybeInjected(seed, () => impl.generateKeyPair());
      return { ek: publicKey, dk: secretKey };
    },
    encaps(ek, m) {
      const { ciphertext, sharedSecret } = maybeInjected(m, () => impl.encapsulate(plain(ek)));
      return { ct: ciphertext, ss: sharedSecret };
    },
    decaps(dk, ct) {
      return impl.decapsulate(plain(ct), plain(dk));
    },
  };
}

function oqsSigner(name: string, alg: SigAlg, impl: OqsSig): Signer {
  const noContext = (ctx: Uint8Array | undefined) => {
    if (ctx && ctx.length > 0) throw new UnsupportedCapabilityError(name, 'ML-DSA context strings (liboqs-js has no API for them)');
  };
  return {
    alg,
    keygen(seed) {
      const { publicKey, secretKey } = maybeInjected(seed, () => impl.generateKeyPair());
      return { pk: publicKey, sk: secretKey };
    },
    sign(sk, msg, opts = {}) {
      noContext(opts.context);
      return maybeInjected(opts.rnd, () => impl.sign(plain(msg), plain(sk)));
    },
    verify(pk, msg, sig, opts = {}) {
      noContext(opts.context);
      try {
        return impl.verify(plain(msg), plain(sig), plain(pk));
      } catch {
        return false;
      }
    },
  };
}

export async function createLiboqsBackend(): Promise<CryptoBackend> {
  const name = 'liboqs';
  const [k512, k768, k1024, d44, d65, d87] = await Promise.all([
    createMLKEM512(),
    createMLKEM768(),
    createMLKEM1024(),
    createMLDSA44(),
    createMLDSA65(),
    createMLDSA87(),
  ]);
  return assembleBackend({
    name,
    version: `@oqs/liboqs-js ${packageVersion('@oqs/liboqs-js')}`,
    deterministic: true,
    kems: [
      oqsKem('ML-KEM-512', k512 as unknown as OqsKem),
      oqsKem('ML-KEM-768', k768 as unknown as OqsKem),
      oqsKem('ML-KEM-1024', k1024 as unknown as OqsKem),
    ],
    sigs: [
      oqsSigner(name, 'ML-DSA-44', d44 as unknown as OqsSig),
      oqsSigner(name, 'ML-DSA-65', d65 as unknown as OqsSig),
      oqsSigner(name, 'ML-DSA-87', d87 as unknown as OqsSig),
    ],
  });
}
