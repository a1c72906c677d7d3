// FIPS 204 message formatting, so every interface can be driven through
// Sign_internal / Verify_internal even where a library refuses a pre-hash
// weaker than its parameter set.
import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512, shake128, shake256 } from '@noble/hashes/sha3.js';
import type { AcvpHashAlg } from '../../vectors/acvp.ts';
import { concatBytes } from '@noble/hashes/utils.js';

interface PreHash {
  /** Last arc of the NIST hash algorithm OID 2.16.840.1.101.3.4.2.x. */
  arc: number;
  digest(m: Uint8Array): Uint8Array;
}

/** §5.4.1: SHAKE128 gives 256 bits and SHAKE256 512 bits of output. */
const PRE_HASHES: Record<AcvpHashAlg, PreHash> = {
  'SHA2-256': { arc: 1, digest: (m) => sha256(m) },
  'SHA2-384': { arc: 2, digest: (m) => sha384(m) },
  'SHA2-512': { arc: 3, digest: (m) => sha512(m) },
  'SHA2-224': { arc: 4, digest: (m) => sha224(m) },
  'SHA2-512/224': { arc: 5, digest: (m) => sha512_224(m) },
  'SHA2-512/256': { arc: 6, digest: (m) => sha512_256(m) },
  'SHA3-224': { arc: 7, digest: (m) => sha3_224(m) },
  'SHA3-256': { arc: 8, digest: (m) => sha3_256(m) },
  'SHA3-384': { arc: 9, digest: (m) => sha3_384(m) },
  'SHA3-512': { arc: 10, digest: (m) => sha3_512(m) },
  'SHAKE-128': { arc: 11, digest: (m) => shake128(m, { dkLen: 32 }) },
  'SHAKE-256': { arc: 12, digest: (m) => shake256(m, { dkLen: 64 }) },
};

/** DER encoding of OID 2.16.840.1.101.3.4.2.arc (tag 06, length 09). */
export function hashOid(alg: AcvpHashAlg): Uint8Array {
  return Uint8Array.of(0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, PRE_HASHES[alg].arc);
}

function contextPrefix(domain: 0 | 1, ctx: Uint8Array): Uint8Array {
  if (ctx.length > 255) throw new Error(`context is ${ctx.length} bytes; FIPS 204 allows at most 255`);
  return Uint8Array.of(domain, ctx.length);
}

/** Alg. 4 lines 10-23: M' = 1 || |ctx| || ctx || OID || PH(M) (HashML-DSA). */
export function preHashMessage(alg: AcvpHashAlg, ctx: Uint8Array, m: Uint8Array): Uint8Array {
  return concatBytes(contextPrefix(1, ctx), ctx, hashOid(alg), PRE_HASHES[alg].digest(m));
}
