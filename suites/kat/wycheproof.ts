// Wycheproof case bodies. valid: reproduce every given output exactly;
// invalid: the operation must be refused; acceptable: either, as long as
// nothing crashes.
import { UnsupportedCapabilityError, type CryptoBackend, type Kem, type Signer } from '../../src/crypto/backend.ts';
import type { Mismatch } from '../../src/check/evidence.ts';
import type { WycheproofDsaCase, WycheproofKemCase } from '../../vectors/wycheproof.ts';
import { compareFields, expectAccepted, expectRejected, mismatch, type CaseBody } from './tally.ts';

/** Encapsulation used only to see whether ek is refused: a backend that cannot take m still can answer that. */
function encapsForRejection(kem: Kem, ek: Uint8Array, m: Uint8Array): void {
  try {
    kem.encaps(ek, m);
  } catch (e) {
    if (e instanceof UnsupportedCapabilityError) kem.encaps(ek);
    else throw e;
  }
}

function outputs(...pairs: [string, Uint8Array | undefined, Uint8Array][]): Mismatch | undefined {
  return compareFields(...pairs.filter((p): p is [string, Uint8Array, Uint8Array] => p[1] !== undefined));
}

/** Runs the valid path; for `acceptable` cases any outcome short of an unexpected crash passes. */
function validOrAcceptable(result: string, valid: () => Mismatch | undefined): Mismatch | undefined {
  if (result === 'valid') return valid();
  try {
    valid();
  } catch (e) {
    if (e instanceof UnsupportedCapabilityError) throw e;
  }
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
          return outputs(['ek', c.ek, ek], ['dk', c.dk, dk]);
        });
    case 'test':
      if (c.result === 'invalid') {
        return () => expectRejected('K', `key generation + decapsulation of ${what}`, () => kem.decaps(kem.keygen(c.seed).dk, c.c));
      }
      return () =>
        validOrAcceptable(c.result, () => {
          const { ek, dk } = kem.keygen(c.seed);
          return outputs(['ek', c.ek, ek], ['K', c.K, kem.decaps(dk, c.c)]);
        });
    case 'encaps':
      if (c.result === 'invalid') return () => expectRejected('ek', `encapsulation to ${what}`, () => encapsForRejection(kem, c.ek, c.m));
      return () =>
        validOrAcceptable(c.result, () => {
          const r = expectAccepted('ek', `encapsulation to ${what}`, () => kem.encaps(c.ek, c.m));
          if ('mismatch' in r) return r.mismatch;
          return outputs(['c', c.c, r.value.ct], ['K', c.K, r.value.ss]);
        });
    case 'semi_expanded_decaps':
      if (c.result === 'invalid') return () => expectRejected('dk', `decapsulation of ${what}`, () => kem.decaps(c.dk, c.c));
      return () =>
        validOrAcceptable(c.result, () => {
          const r = expectAccepted('dk', `decapsulation of ${what}`, () => kem.decaps(c.dk, c.c));
          if ('mismatch' in r) return r.mismatch;
          return outputs(['K', c.K, r.value]);
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
