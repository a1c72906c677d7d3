// Length checks at the edge of a backend: every byte string that enters a
// Kem or Signer is checked against algorithms.ts before the library sees it,
// and a wrong one is refused with an error naming the parameter and the
// expected length (FIPS 203 §7 input checking, FIPS 204 §3.6.2 and Table 2).
// Verification keeps its contract and answers false instead of throwing.
import {
  KEM_MSG_BYTES,
  KEM_SEED_BYTES,
  KEM_SIZES,
  MAX_CONTEXT_BYTES,
  SIG_MU_BYTES,
  SIG_RND_BYTES,
  SIG_SEED_BYTES,
  SIG_SIZES,
} from './algorithms.ts';
import type { Kem, Signer } from './backend.ts';

/** A byte string of the wrong length or type, named by its parameter. */
export class InvalidLengthError extends TypeError {
  constructor(
    readonly where: string,
    readonly param: string,
    readonly expected: number | string,
    got: unknown,
  ) {
    const actual = got instanceof Uint8Array ? `${got.length} bytes` : `a ${got === null ? 'null' : typeof got}`;
    super(`${where}: ${param} must be ${typeof expected === 'number' ? `${expected} bytes` : expected}, got ${actual}`);
    this.name = 'InvalidLengthError';
  }
}

/** Throws InvalidLengthError unless b is a Uint8Array of exactly len bytes. */
export function requireBytes(where: string, param: string, b: unknown, len: number): void {
  if (!(b instanceof Uint8Array) || b.length !== len) throw new InvalidLengthError(where, param, len, b);
}

function optionalBytes(where: string, param: string, b: unknown, len: number): void {
  if (b !== undefined) requireBytes(where, param, b, len);
}

function requireMessage(where: string, param: string, b: unknown): void {
  if (!(b instanceof Uint8Array)) throw new InvalidLengthError(where, param, 'a Uint8Array', b);
}

function requireContext(where: string, ctx: unknown): void {
  if (ctx === undefined) return;
  if (!(ctx instanceof Uint8Array) || ctx.length > MAX_CONTEXT_BYTES)
    throw new InvalidLengthError(where, 'context', `a Uint8Array of at most ${MAX_CONTEXT_BYTES} bytes (FIPS 204 §5.2)`, ctx);
}

/** true when every check passes; used by verification, which must not throw. */
function fits(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

export function checkedKem(backend: string, kem: Kem): Kem {
  const where = `${backend} ${kem.alg}`;
  const sz = KEM_SIZES[kem.alg];
  return {
    alg: kem.alg,
    keygen(seed) {
      optionalBytes(where, 'seed (d || z)', seed, KEM_SEED_BYTES);
      return kem.keygen(seed);
    },
    encaps(ek, m) {
      requireBytes(where, 'ek', ek, sz.ek);
      optionalBytes(where, 'm', m, KEM_MSG_BYTES);
      return kem.encaps(ek, m);
    },
    decaps(dk, ct) {
      requireBytes(where, 'dk', dk, sz.dk);
      requireBytes(where, 'ct', ct, sz.ct);
      return kem.decaps(dk, ct);
    },
  };
}

export function checkedSigner(backend: string, s: Signer): Signer {
  const where = `${backend} ${s.alg}`;
  const sz = SIG_SIZES[s.alg];
  const signable = (sk: unknown, msg: unknown, msgName: string, rnd: unknown, rndRequired: boolean) => {
    requireBytes(where, 'sk', sk, sz.sk);
    requireMessage(where, msgName, msg);
    if (rndRequired) requireBytes(where, 'rnd', rnd, SIG_RND_BYTES);
    else optionalBytes(where, 'rnd', rnd, SIG_RND_BYTES);
  };
  const verifiable = (pk: unknown, msg: unknown, msgName: string, sig: unknown) =>
    fits(() => {
      requireBytes(where, 'pk', pk, sz.pk);
      requireMessage(where, msgName, msg);
      requireBytes(where, 'signature', sig, sz.sig);
    });
  const out: Signer = {
    alg: s.alg,
    keygen(seed) {
      optionalBytes(where, 'seed (xi)', seed, SIG_SEED_BYTES);
      return s.keygen(seed);
    },
    sign(sk, msg, opts = {}) {
      signable(sk, msg, 'message', opts.rnd, false);
      requireContext(where, opts.context);
      return s.sign(sk, msg, opts);
    },
    verify(pk, msg, sig, opts = {}) {
      if (!verifiable(pk, msg, 'message', sig) || !fits(() => requireContext(where, opts.context))) return false;
      return s.verify(pk, msg, sig, opts);
    },
  };
  const { signInternal, verifyInternal, signMu, verifyMu } = s;
  if (signInternal)
    out.signInternal = (sk, mPrime, rnd) => {
      signable(sk, mPrime, "M'", rnd, true);
      return signInternal.call(s, sk, mPrime, rnd);
    };
  if (verifyInternal)
    out.verifyInternal = (pk, mPrime, sig) => verifiable(pk, mPrime, "M'", sig) && verifyInternal.call(s, pk, mPrime, sig);
  if (signMu)
    out.signMu = (sk, mu, rnd) => {
      signable(sk, mu, 'mu', rnd, true);
      requireBytes(where, 'mu', mu, SIG_MU_BYTES);
      return signMu.call(s, sk, mu, rnd);
    };
  if (verifyMu)
    out.verifyMu = (pk, mu, sig) =>
      verifiable(pk, mu, 'mu', sig) && fits(() => requireBytes(where, 'mu', mu, SIG_MU_BYTES)) && verifyMu.call(s, pk, mu, sig);
  return out;
}
