// The insecure stand-in ("SimplifiedNTRU") that the mesh once shipped with.
// It round-trips and has the ML-KEM / ML-DSA byte sizes, so it drops into
// any slot, but it offers no security at all: the encapsulation key carries
// the secret, and a "signature" is a MAC anyone holding the public key can
// forge. It exists so that the production guard can be shown to refuse it.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { KEM_ALGS, KEM_SIZES, SIG_ALGS, SIG_SIZES, type KemAlg, type SigAlg } from './algorithms.ts';
import { assembleBackend } from './assemble.ts';
import type { CryptoBackend, Kem, Signer } from './backend.ts';

const xor = (a: Uint8Array, b: Uint8Array) => a.map((x, i) => x ^ b[i]);

function mockKem(alg: KemAlg): Kem {
  const sz = KEM_SIZES[alg];
  // ek = secret || padding; dk = ek || padding: insecure on purpose.
  const pad = (secret: Uint8Array, len: number) => {
    const out = new Uint8Array(len);
    out.set(secret);
    return out;
  };
  return {
    alg,
    keygen(seed = randomBytes(64)) {
      const secret = sha256(seed);
      return { ek: pad(secret, sz.ek), dk: pad(secret, sz.dk) };
    },
    encaps(ek, m = randomBytes(32)) {
      if (ek.length !== sz.ek) throw new Error(`mock ${alg}: encapsulation key must be ${sz.ek} bytes`);
      const mask = shake256(ek.subarray(0, 32), { dkLen: sz.ct });
      return { ct: xor(pad(m, sz.ct), mask), ss: sha256(m) };
    },
    decaps(dk, ct) {
      if (dk.length !== sz.dk || ct.length !== sz.ct) throw new Error(`mock ${alg}: bad key or ciphertext length`);
      const mask = shake256(dk.subarray(0, 32), { dkLen: sz.ct });
      return sha256(xor(ct, mask).subarray(0, 32));
    },
  };
}

function mockSigner(alg: SigAlg): Signer {
  const sz = SIG_SIZES[alg];
  const tag = (key: Uint8Array, msg: Uint8Array, ctx: Uint8Array = new Uint8Array()) =>
    shake256(hmac(sha256, key.subarray(0, 32), new Uint8Array([...ctx, 0, ...msg])), { dkLen: sz.sig });
  return {
    alg,
    keygen(seed = randomBytes(32)) {
      const secret = sha256(seed);
      const pk = new Uint8Array(sz.pk);
      const sk = new Uint8Array(sz.sk);
      pk.set(secret);
      sk.set(secret);
      return { pk, sk };
    },
    sign(sk, msg, opts = {}) {
      return tag(sk, msg, opts.context);
    },
    verify(pk, msg, sig, opts = {}) {
      const want = tag(pk, msg, opts.context);
      return sig.length === want.length && want.every((b, i) => b === sig[i]);
    },
  };
}

export function createMockBackend(): CryptoBackend {
  return assembleBackend({
    name: 'mock',
    version: 'SimplifiedNTRU 0 (insecure)',
    deterministic: true,
    insecure: true,
    kems: KEM_ALGS.map(mockKem),
    sigs: SIG_ALGS.map(mockSigner),
  });
}
