// A compact, readable FIPS 203 ML-KEM, written for the mutants: each seeded
// defect flips exactly one option here, and with default options this code
// matches noble byte for byte (test/mutants/kat-mutants.test.ts proves it).
// Not constant time; not for anything but tests.
import { sha3_256, sha3_512, shake128, shake256 } from '@noble/hashes/sha3.js';
import { KEM_SIZES, type KemAlg } from '../../src/crypto/algorithms.ts';
import type { Kem } from '../../src/crypto/backend.ts';

export interface MlKemRefOptions {
  /** Alg. 13 line 1: (rho, sigma) = G(d || k) as in FIPS 203; false = G(d), the draft standard's key generation. */
  domainSeparatedKeygen?: boolean;
  /** Alg. 18 line 9: compare c with c' in full, like C strcmp (stop at the first zero byte), or not at all (no FO re-encryption check). */
  ciphertextCompare?: 'full' | 'strcmp' | 'skip';
  /** §7.2 encapsulation key modulus check. */
  modulusCheck?: boolean;
  /** §7.3 decapsulation key hash check. */
  hashCheck?: boolean;
}

const Q = 3329;
const N = 256;
/** §8 Table 2: (k, eta1, eta2, du, dv). */
const PARAMS: Record<KemAlg, [number, number, number, number, number]> = {
  'ML-KEM-512': [2, 3, 2, 10, 4],
  'ML-KEM-768': [3, 2, 2, 10, 4],
  'ML-KEM-1024': [4, 2, 2, 11, 5],
};

type Poly = number[];
const mod = (x: number) => ((x % Q) + Q) % Q;

function powMod(b: number, e: number): number {
  let r = 1;
  for (let i = 0; i < e; i++) r = (r * b) % Q;
  return r;
}
const bitRev7 = (i: number) => parseInt(i.toString(2).padStart(7, '0').split('').reverse().join(''), 2);
/** §4.3: zeta = 17, the NTT's 256th root of unity, in bit-reversed order. */
const ZETAS = Array.from({ length: 128 }, (_, i) => powMod(17, bitRev7(i)));
const GAMMAS = Array.from({ length: 128 }, (_, i) => powMod(17, 2 * bitRev7(i) + 1));

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const H = (s: Uint8Array) => sha3_256(s);
const G = (s: Uint8Array) => sha3_512(s);
const J = (s: Uint8Array) => shake256(s, { dkLen: 32 });
const PRF = (eta: number, s: Uint8Array, b: number) => shake256(concat(s, Uint8Array.of(b)), { dkLen: 64 * eta });

/** Alg. 5 ByteEncode_d: d bits per coefficient, little-endian. */
function byteEncode(f: Poly, d: number): Uint8Array {
  const out = new Uint8Array(32 * d);
  for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) if ((f[i] >> j) & 1) out[(i * d + j) >> 3] |= 1 << ((i * d + j) & 7);
  return out;
}
/** Alg. 6 ByteDecode_d: for d = 12 the integers are reduced mod q. */
function byteDecode(b: Uint8Array, d: number): Poly {
  const f: Poly = new Array(N).fill(0);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < d; j++) f[i] |= ((b[(i * d + j) >> 3] >> ((i * d + j) & 7)) & 1) << j;
    if (d === 12) f[i] %= Q;
  }
  return f;
}
/** §4.2.1 Compress_d / Decompress_d with rounding to nearest. */
const compress = (f: Poly, d: number) => f.map((x) => Math.floor((x * 2 ** d + (Q - 1) / 2) / Q) % 2 ** d);
const decompress = (f: Poly, d: number) => f.map((y) => Math.floor((y * Q + 2 ** (d - 1)) / 2 ** d));

/** Alg. 7 SampleNTT: rejection sampling from SHAKE128(rho || j || i). */
function sampleNtt(rho: Uint8Array, j: number, i: number): Poly {
  const xof = shake128.create({}).update(concat(rho, Uint8Array.of(j, i)));
  const a: Poly = [];
  while (a.length < N) {
    const c = xof.xof(3);
    const d1 = c[0] + 256 * (c[1] % 16);
    const d2 = (c[1] >> 4) + 16 * c[2];
    if (d1 < Q) a.push(d1);
    if (d2 < Q && a.length < N) a.push(d2);
  }
  return a;
}
/** Alg. 8 SamplePolyCBD_eta. */
function cbd(b: Uint8Array, eta: number): Poly {
  const bit = (k: number) => (b[k >> 3] >> (k & 7)) & 1;
  return Array.from({ length: N }, (_, i) => {
    let x = 0;
    let y = 0;
    for (let j = 0; j < eta; j++) {
      x += bit(2 * i * eta + j);
      y += bit(2 * i * eta + eta + j);
    }
    return mod(x - y);
  });
}
/** Alg. 9 NTT. */
function ntt(f0: Poly): Poly {
  const f = f0.slice();
  let i = 1;
  for (let len = 128; len >= 2; len /= 2) {
    for (let start = 0; start < N; start += 2 * len) {
      const zeta = ZETAS[i++];
      for (let j = start; j < start + len; j++) {
        const t = (zeta * f[j + len]) % Q;
        f[j + len] = mod(f[j] - t);
        f[j] = (f[j] + t) % Q;
      }
    }
  }
  return f;
}
/** Alg. 10 NTT^-1; 3303 = 128^-1 mod q. */
function invNtt(f0: Poly): Poly {
  const f = f0.slice();
  let i = 127;
  for (let len = 2; len <= 128; len *= 2) {
    for (let start = 0; start < N; start += 2 * len) {
      const zeta = ZETAS[i--];
      for (let j = start; j < start + len; j++) {
        const t = f[j];
        f[j] = (t + f[j + len]) % Q;
        f[j + len] = (zeta * mod(f[j + len] - t)) % Q;
      }
    }
  }
  return f.map((x) => (x * 3303) % Q);
}
/** Alg. 11 MultiplyNTTs via Alg. 12 BaseCaseMultiply. */
function mulNtt(f: Poly, g: Poly): Poly {
  const h: Poly = new Array(N);
  for (let i = 0; i < 128; i++) {
    const [a0, a1, b0, b1] = [f[2 * i], f[2 * i + 1], g[2 * i], g[2 * i + 1]];
    h[2 * i] = (a0 * b0 + ((a1 * b1) % Q) * GAMMAS[i]) % Q;
    h[2 * i + 1] = (a0 * b1 + a1 * b0) % Q;
  }
  return h;
}
const add = (f: Poly, g: Poly) => f.map((x, i) => (x + g[i]) % Q);
const sub = (f: Poly, g: Poly) => f.map((x, i) => mod(x - g[i]));

function matrix(rho: Uint8Array, k: number): Poly[][] {
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => sampleNtt(rho, j, i)));
}

export function createRefMlKem(alg: KemAlg, opts: MlKemRefOptions = {}): Kem {
  const [k, eta1, eta2, du, dv] = PARAMS[alg];
  const sizes = KEM_SIZES[alg];
  const o = { domainSeparatedKeygen: true, ciphertextCompare: 'full', modulusCheck: true, hashCheck: true, ...opts };

  /** Alg. 13 K-PKE.KeyGen. */
  function pkeKeyGen(d: Uint8Array): { ek: Uint8Array; dkPke: Uint8Array } {
    const g = G(o.domainSeparatedKeygen ? concat(d, Uint8Array.of(k)) : d);
    const [rho, sigma] = [g.slice(0, 32), g.slice(32)];
    const A = matrix(rho, k);
    let n = 0;
    const s = Array.from({ length: k }, () => ntt(cbd(PRF(eta1, sigma, n++), eta1)));
    const e = Array.from({ length: k }, () => ntt(cbd(PRF(eta1, sigma, n++), eta1)));
    const t = A.map((row, i) => row.reduce((acc, a, j) => add(acc, mulNtt(a, s[j])), e[i]));
    return { ek: concat(...t.map((p) => byteEncode(p, 12)), rho), dkPke: concat(...s.map((p) => byteEncode(p, 12))) };
  }

  /** Alg. 14 K-PKE.Encrypt. */
  function pkeEncrypt(ek: Uint8Array, m: Uint8Array, r: Uint8Array): Uint8Array {
    const t = Array.from({ length: k }, (_, i) => byteDecode(ek.subarray(384 * i, 384 * (i + 1)), 12));
    const A = matrix(ek.subarray(384 * k), k);
    let n = 0;
    const y = Array.from({ length: k }, () => ntt(cbd(PRF(eta1, r, n++), eta1)));
    const e1 = Array.from({ length: k }, () => cbd(PRF(eta2, r, n++), eta2));
    const e2 = cbd(PRF(eta2, r, n), eta2);
    const u = Array.from({ length: k }, (_, i) =>
      add(invNtt(y.reduce((acc, yj, j) => add(acc, mulNtt(A[j][i], yj)), new Array(N).fill(0))), e1[i]),
    );
    const mu = decompress(byteDecode(m, 1), 1);
    const v = add(add(invNtt(t.reduce((acc, tj, j) => add(acc, mulNtt(tj, y[j])), new Array(N).fill(0))), e2), mu);
    return concat(...u.map((p) => byteEncode(compress(p, du), du)), byteEncode(compress(v, dv), dv));
  }

  /** Alg. 15 K-PKE.Decrypt. */
  function pkeDecrypt(dkPke: Uint8Array, c: Uint8Array): Uint8Array {
    const u = Array.from({ length: k }, (_, i) => decompress(byteDecode(c.subarray(32 * du * i, 32 * du * (i + 1)), du), du));
    const v = decompress(byteDecode(c.subarray(32 * du * k), dv), dv);
    const s = Array.from({ length: k }, (_, i) => byteDecode(dkPke.subarray(384 * i, 384 * (i + 1)), 12));
    const w = sub(v, invNtt(s.reduce((acc, si, i) => add(acc, mulNtt(si, ntt(u[i]))), new Array(N).fill(0))));
    return byteEncode(compress(w, 1), 1);
  }

  function ciphertextsEqual(a: Uint8Array, b: Uint8Array): boolean {
    // The seeded defect: no re-encryption check, so implicit rejection never happens.
    if (o.ciphertextCompare === 'skip') return true;
    if (o.ciphertextCompare === 'strcmp') {
      // The seeded defect: C strcmp semantics, equal as soon as both reach a zero byte.
      for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) return false;
        if (a[i] === 0) return true;
      }
      return true;
    }
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }

  return {
    alg,
    // Alg. 16 ML-KEM.KeyGen_internal(d, z).
    keygen(seed = crypto.getRandomValues(new Uint8Array(64))) {
      if (seed.length !== 64) throw new Error(`ML-KEM seed must be 64 bytes, got ${seed.length}`);
      const { ek, dkPke } = pkeKeyGen(seed.subarray(0, 32));
      return { ek, dk: concat(dkPke, ek, H(ek), seed.subarray(32)) };
    },
    // Alg. 17 ML-KEM.Encaps_internal(ek, m) after the §7.2 input checks.
    encaps(ek, m = crypto.getRandomValues(new Uint8Array(32))) {
      if (ek.length !== sizes.ek) throw new Error(`encapsulation key must be ${sizes.ek} bytes, got ${ek.length}`);
      if (o.modulusCheck) {
        for (let i = 0; i < k; i++) {
          const chunk = ek.subarray(384 * i, 384 * (i + 1));
          if (!byteEncode(byteDecode(chunk, 12), 12).every((x, j) => x === chunk[j]))
            throw new Error('encapsulation key fails the modulus check');
        }
      }
      const g = G(concat(m, H(ek)));
      return { ss: g.slice(0, 32), ct: pkeEncrypt(ek, m, g.subarray(32)) };
    },
    // Alg. 18 ML-KEM.Decaps_internal(dk, c) after the §7.3 input checks.
    decaps(dk, c) {
      if (c.length !== sizes.ct) throw new Error(`ciphertext must be ${sizes.ct} bytes, got ${c.length}`);
      if (dk.length !== sizes.dk) throw new Error(`decapsulation key must be ${sizes.dk} bytes, got ${dk.length}`);
      const dkPke = dk.subarray(0, 384 * k);
      const ek = dk.subarray(384 * k, 768 * k + 32);
      const h = dk.subarray(768 * k + 32, 768 * k + 64);
      const z = dk.subarray(768 * k + 64);
      if (o.hashCheck && !H(ek).every((x, i) => x === h[i])) throw new Error('decapsulation key fails the hash check');
      const m2 = pkeDecrypt(dkPke, c);
      const g = G(concat(m2, h));
      const c2 = pkeEncrypt(ek, m2, g.subarray(32));
      return ciphertextsEqual(c, c2) ? g.slice(0, 32) : J(concat(z, c));
    },
  };
}
