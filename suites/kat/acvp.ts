// ACVP case bodies: what to call on a backend for each ML-KEM / ML-DSA
// function and interface, and what to compare byte for byte.
import { KEM_SIZES } from '../../src/crypto/algorithms.ts';
import { UnsupportedCapabilityError, type CryptoBackend, type Kem, type Signer } from '../../src/crypto/backend.ts';
import type { Mismatch } from '../../src/check/evidence.ts';
import type { DsaCase, DsaSigInput, KemCase } from '../../vectors/acvp.ts';
import { preHashMessage } from './prehash.ts';
import { concatBytes } from '@noble/hashes/utils.js';
import { compareFields, mismatch, type CaseBody } from './tally.ts';

/** True when op throws for a reason other than a missing capability. */
function rejects(op: () => unknown): boolean {
  try {
    op();
    return false;
  } catch (e) {
    if (e instanceof UnsupportedCapabilityError) throw e;
    return true;
  }
}

function keyCheckVerdict(field: string, what: string, expectValid: boolean, rejected: boolean): Mismatch | undefined {
  if (expectValid === !rejected) return undefined;
  return mismatch(
    field,
    expectValid ? `valid ${what} was rejected` : `invalid ${what} was accepted (the FIPS 203 input check did not reject it)`,
    `testPassed=${expectValid}`,
    `testPassed=${!rejected}`,
  );
}

export function kemCaseBody(kem: Kem, c: KemCase): CaseBody {
  switch (c.fn) {
    case 'keyGen':
      // FIPS 203 Alg. 16 ML-KEM.KeyGen_internal(d, z).
      return () => {
        const { ek, dk } = kem.keygen(concatBytes(c.d, c.z));
        return compareFields(['ek', c.ek, ek], ['dk', c.dk, dk]);
      };
    case 'encapsulation':
      // Alg. 17 ML-KEM.Encaps_internal(ek, m).
      return () => {
        const { ct, ss } = kem.encaps(c.ek, c.m);
        return compareFields(['c', c.c, ct], ['k', c.k, ss]);
      };
    case 'decapsulation':
      // Alg. 18 ML-KEM.Decaps_internal(dk, c); seed-form keys are expanded with Alg. 16 first.
      return () => {
        const dk = c.dk ?? kem.keygen(concatBytes(c.d!, c.z!)).dk;
        return compareFields(['k', c.k, kem.decaps(dk, c.c)]);
      };
    case 'encapsulationKeyCheck':
      // §7.2: an ek failing the modulus check must make encapsulation refuse it.
      return () =>
        keyCheckVerdict(
          'testPassed',
          'encapsulation key',
          c.testPassed,
          rejects(() => kem.encaps(c.ek)),
        );
    case 'decapsulationKeyCheck': {
      // §7.3: a dk whose stored H(ek) is wrong must make decapsulation refuse it.
      const zeroCt = new Uint8Array(KEM_SIZES[kem.alg].ct);
      return () =>
        keyCheckVerdict(
          'testPassed',
          'decapsulation key',
          c.testPassed,
          rejects(() => kem.decaps(c.dk, zeroCt)),
        );
    }
  }
}

function need<K extends keyof Signer>(backend: CryptoBackend, signer: Signer, cap: K, why: string): NonNullable<Signer[K]> {
  const f = signer[cap];
  if (typeof f !== 'function') throw new UnsupportedCapabilityError(backend.name, `${String(cap)} (${why})`);
  return f.bind(signer) as NonNullable<Signer[K]>;
}

/** Signs through the interface the case names: Alg. 2 (pure), Alg. 4 via Alg. 7 (preHash), Alg. 7, or mu. */
export function signVia(backend: CryptoBackend, signer: Signer, sk: Uint8Array, input: DsaSigInput, rnd: Uint8Array): Uint8Array {
  switch (input.iface) {
    case 'pure':
      return signer.sign(sk, input.message!, { context: input.context, rnd });
    case 'preHash':
      return need(
        backend,
        signer,
        'signInternal',
        "HashML-DSA is driven through Sign_internal over M'",
      )(sk, preHashMessage(input.hashAlg!, input.context, input.message!), rnd);
    case 'internal':
      return need(backend, signer, 'signInternal', 'FIPS 204 Alg. 7 Sign_internal')(sk, input.message!, rnd);
    case 'externalMu':
      return need(backend, signer, 'signMu', 'external mu')(sk, input.mu!, rnd);
  }
}

/** Verifies through the interface the case names; a throw (other than a capability gap) counts as rejection. */
export function verifyVia(backend: CryptoBackend, signer: Signer, pk: Uint8Array, input: DsaSigInput, sig: Uint8Array): boolean {
  const run = (): boolean => {
    switch (input.iface) {
      case 'pure':
        return signer.verify(pk, input.message!, sig, { context: input.context });
      case 'preHash':
        return need(
          backend,
          signer,
          'verifyInternal',
          "HashML-DSA is driven through Verify_internal over M'",
        )(pk, preHashMessage(input.hashAlg!, input.context, input.message!), sig);
      case 'internal':
        return need(backend, signer, 'verifyInternal', 'FIPS 204 Alg. 8 Verify_internal')(pk, input.message!, sig);
      case 'externalMu':
        return need(backend, signer, 'verifyMu', 'external mu')(pk, input.mu!, sig);
    }
  };
  try {
    return run() === true;
  } catch (e) {
    if (e instanceof UnsupportedCapabilityError) throw e;
    return false;
  }
}

export function dsaCaseBody(backend: CryptoBackend, signer: Signer, c: DsaCase): CaseBody {
  switch (c.fn) {
    case 'keyGen':
      // FIPS 204 Alg. 6 ML-DSA.KeyGen_internal(xi).
      return () => {
        const { pk, sk } = signer.keygen(c.seed);
        return compareFields(['pk', c.pk, pk], ['sk', c.sk, sk]);
      };
    case 'sigGen':
      return () => {
        const sk = c.sk ?? signer.keygen(c.seed!).sk;
        return compareFields(['signature', c.signature, signVia(backend, signer, sk, c, c.rnd!)]);
      };
    case 'sigVer':
      return () => {
        const accepted = verifyVia(backend, signer, c.pk, c, c.signature);
        if (accepted === c.testPassed) return undefined;
        return mismatch(
          'testPassed',
          c.testPassed ? 'a valid signature was rejected' : 'an invalid signature was accepted',
          `testPassed=${c.testPassed}`,
          `testPassed=${accepted}`,
        );
      };
  }
}

/** Short label of the interface a case used, for per-interface counts in the evidence. */
export function dsaInterfaceLabel(c: DsaCase): string {
  if (c.fn === 'keyGen') return 'keyGen';
  const mode = c.fn === 'sigGen' ? (c.deterministic ? 'deterministic' : 'hedged') : 'verify';
  const key = c.fn === 'sigGen' ? (c.seed ? '/seed-key' : '/expanded-key') : '';
  const hash = c.iface === 'preHash' ? `/${c.hashAlg}` : '';
  return `${c.iface}${hash}/${mode}${key}`;
}
