// Wycheproof case bodies. valid: reproduce every given output exactly;
// invalid: the operation must be refused; acceptable: one of the two
// documented outcomes, accepted (with every given output reproduced) or
// refused. A crash or an unexpected exception on an acceptable case fails.
import { UnsupportedCapabilityError, type CryptoBackend, type Kem, type Signer } from '../../src/crypto/backend.ts';
import type { Mismatch } from '../../src/check/evidence.ts';
import type { WycheproofDsaCase, WycheproofKemCase } from '../../vectors/wycheproof.ts';
import { compareFields, crashOf, expectAccepted, expectRejected, mismatch, type CaseBody } from './tally.ts';

/** Encapsulation used only to see whether ek is refused: a backend that cannot take m still can answer that. */
function encapsForRejection(kem: Kem, ek: Uint8Array, m: Uint8Array): void {
  try {
    kem.encaps(ek, m);
  } catch (e) {
    if (e instanceof UnsupportedCapabilityError) kem.encaps(ek);
    else throw e;
  }
}

/**
 * Runs the valid path. For an `acceptable` case a refusal also passes; a
 * crash (see crashOf) fails, and so does acceptance with different outputs.
 */
function validOrAcceptable(result: string, valid: () => Mismatch | undefined): Mismatch | undefined {
  if (result === 'valid') return valid();
  let m: Mismatch | undefined;
  try {
    m = valid();
  } catch (e) {
    if (e instanceof UnsupportedCapabilityError) throw e;
    const crash = crashOf(e);
    if (crash === undefined) return undefined; // refused: a documented outcome
    return mismatch('result', `acceptable case crashed the backend: ${crash}`, 'accepted or rejected', 'crash');
  }
  // A body reports a refusal it caught itself (expectAccepted) as a mismatch on the result: still a documented outcome.
  if (m?.actual === 'rejected') return undefined;
  if (m) return { ...m, message: `acceptable case was accepted with a different output: ${m.message ?? 'mismatch'}` };
  return undefined;
}

export function wycheproofKemBody(kem: Kem, c: WycheproofKemCase): CaseBody {
  const what = c.comment ? `"${c.comment}"` : 'the input';
  switch (c.kind) {
    case 'keygen_seed':
      if (c.result === 'invalid') return () => expectRejected('seed', `key generation from ${what}`, () => kem.keygen(c.seed));
      return () =>
        validOrAcceptable(c.result, () => {
          const { ek, dk } = kem.keygen(c.seed);
          return compareFields(['ek', c.ek, ek], ['dk', c.dk, dk]);
        });
    case 'test':
      if (c.result === 'invalid') {
        return () => expectRejected('K', `key generation + decapsulation of ${what}`, () => kem.decaps(kem.keygen(c.seed).dk, c.c));
      }
      return () =>
        validOrAcceptable(c.result, () => {
          const { ek, dk } = kem.keygen(c.seed);
          return compareFields(['ek', c.ek, ek], ['K', c.K, kem.decaps(dk, c.c)]);
        });
    case 'encaps':
      if (c.result === 'invalid') return () => expectRejected('ek', `encapsulation to ${what}`, () => encapsForRejection(kem, c.ek, c.m));
      return () =>
        validOrAcceptable(c.result, () => {
          const r = expectAccepted('ek', `encapsulation to ${what}`, () => kem.encaps(c.ek, c.m));
          if ('mismatch' in r) return r.mismatch;
          return compareFields(['c', c.c, r.value.ct], ['K', c.K, r.value.ss]);
        });
    case 'semi_expanded_decaps':
      if (c.result === 'invalid') return () => expectRejected('dk', `decapsulation of ${what}`, () => kem.decaps(c.dk, c.c));
      return () =>
        validOrAcceptable(c.result, () => {
          const r = expectAccepted('dk', `decapsulation of ${what}`, () => kem.decaps(c.dk, c.c));
          if ('mismatch' in r) return r.mismatch;
          return compareFields(['K', c.K, r.value]);
        });
  }
}

function signCase(backend: CryptoBackend, signer: Signer, sk: Uint8Array, c: WycheproofDsaCase & { rnd: Uint8Array }): Uint8Array {
  if (c.msg !== undefined) return signer.sign(sk, c.msg, { context: c.ctx, rnd: c.rnd });
  // "Internal" cases give mu only: Sign_internal with external mu.
  if (!signer.signMu) throw new UnsupportedCapabilityError(backend.name, 'signMu (Wycheproof Internal cases give mu only)');
  return signer.signMu(sk, c.mu!, c.rnd);
}

export function wycheproofDsaBody(backend: CryptoBackend, signer: Signer, c: WycheproofDsaCase): CaseBody {
  const what = c.comment ? `"${c.comment}"` : 'the input';
  if (c.kind === 'verify') {
    return () => {
      let accepted: boolean;
      try {
        accepted = signer.verify(c.publicKey, c.msg ?? new Uint8Array(0), c.sig, { context: c.ctx });
      } catch (e) {
        if (e instanceof UnsupportedCapabilityError) throw e;
        accepted = false;
      }
      if (c.result === 'acceptable' || accepted === (c.result === 'valid')) return undefined;
      return mismatch('result', `signature ${what} was ${accepted ? 'accepted' : 'rejected'}`, c.result, accepted ? 'valid' : 'invalid');
    };
  }
  const keyOf = (): { sk: Uint8Array; pk?: Uint8Array } => (c.kind === 'sign_seed' ? signer.keygen(c.privateSeed) : { sk: c.privateKey });
  if (c.result === 'invalid') {
    return () => expectRejected('sig', `signing ${what}`, () => signCase(backend, signer, keyOf().sk, c));
  }
  return () =>
    validOrAcceptable(c.result, () => {
      const key = keyOf();
      const pkCheck = c.publicKey && key.pk ? compareFields(['publicKey', c.publicKey, key.pk]) : undefined;
      if (pkCheck) return pkCheck;
      const r = expectAccepted('sig', `signing ${what}`, () => signCase(backend, signer, key.sk, c));
      if ('mismatch' in r) return r.mismatch;
      return compareFields(['sig', c.sig, r.value]);
    });
}
