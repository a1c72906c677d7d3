// The matrix's columns: which check ids feed each family, and what a failure
// there means (severity and spec clause).
export type Severity = 'fips' | 'hardening' | 'draft';

export interface Family {
  id: string;
  title: string;
  severity: Severity;
  /** Spec clause for ML-KEM / ML-DSA failures in this family. */
  spec: { kem?: string; sig?: string };
  /** Which check ids belong to it. */
  matches: RegExp;
}

export const FAMILIES: readonly Family[] = [
  {
    id: 'acvp-keygen',
    title: 'ACVP keyGen',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §7.1 (Alg. 16)', sig: 'FIPS 204 §6.1 (Alg. 6)' },
    matches: /^kat\/acvp\/[^/]+\/keyGen$/,
  },
  {
    id: 'acvp-encaps',
    title: 'ACVP encaps',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §7.2 (Alg. 17)' },
    matches: /^kat\/acvp\/[^/]+\/encapsulation$/,
  },
  {
    id: 'acvp-decaps',
    title: 'ACVP decaps',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §7.3 (Alg. 18)' },
    matches: /^kat\/acvp\/[^/]+\/decapsulation$/,
  },
  {
    id: 'acvp-key-checks',
    title: 'ACVP key checks',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §7.2 (ek modulus check), §7.3 (dk hash check)' },
    matches: /^kat\/acvp\/[^/]+\/(encapsulation|decapsulation)KeyCheck$/,
  },
  {
    id: 'acvp-siggen',
    title: 'ACVP sigGen',
    severity: 'fips',
    spec: { sig: 'FIPS 204 §5.2, §6.2 (Alg. 2, 7)' },
    matches: /^kat\/acvp\/[^/]+\/sigGen$/,
  },
  {
    id: 'acvp-sigver',
    title: 'ACVP sigVer',
    severity: 'fips',
    spec: { sig: 'FIPS 204 §5.3, §6.3 (Alg. 3, 8)' },
    matches: /^kat\/acvp\/[^/]+\/sigVer$/,
  },
  {
    id: 'wycheproof',
    title: 'Wycheproof',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §7 input checks', sig: 'FIPS 204 §5, §6' },
    matches: /^kat\/wycheproof\/[^/]+\/(keygen_seed|test|encaps|semi_expanded_decaps|verify)$/,
  },
  {
    id: 'wycheproof-signing-keys',
    title: 'Wycheproof signing keys',
    // FIPS 204 does not require a signer to validate its own secret key.
    severity: 'hardening',
    spec: { sig: 'FIPS 204 §7.2 skDecode (no range check required)' },
    matches: /^kat\/wycheproof\/[^/]+\/sign_(seed|noseed)$/,
  },
  {
    id: 'drbg',
    title: 'DRBG KAT',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §7 via NIST .rsp', sig: 'FIPS 204 §5 via NIST .rsp' },
    matches: /^kat\/drbg\//,
  },
  {
    id: 'accumulated',
    title: 'accumulated',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §7', sig: 'FIPS 204 §5' },
    matches: /^kat\/accumulated\//,
  },
  {
    id: 'roundtrip',
    title: 'round trip & tampering',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §7, Table 3', sig: 'FIPS 204 §5, Table 2' },
    matches: /^crypto\/(roundtrip|negative)\//,
  },
  {
    id: 'implicit-rejection',
    title: 'implicit rejection',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §6.3 Alg. 18 lines 7-11: K = J(z || c)' },
    matches: /^(crypto\/implicit-rejection\/|matrix\/rejection\/)/,
  },
  {
    id: 'determinism',
    title: 'determinism',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §6.1-6.2 (KeyGen_internal, Encaps_internal)', sig: 'FIPS 204 §3.4, §6 (rnd)' },
    matches: /^crypto\/determinism\//,
  },
  {
    id: 'interop',
    title: 'interop (pairwise)',
    severity: 'fips',
    spec: { kem: 'FIPS 203 §7 encodings', sig: 'FIPS 204 §7 encodings' },
    matches: /^matrix\/interop\//,
  },
  {
    id: 'context',
    title: 'context strings',
    severity: 'fips',
    spec: { sig: 'FIPS 204 §5.2 (ctx in M\u2032)' },
    matches: /^crypto\/context\//,
  },
  {
    id: 'xwing',
    title: 'X-Wing',
    severity: 'draft',
    spec: { kem: 'draft-connolly-cfrg-xwing-kem §5' },
    matches: /^(kat\/xwing$|matrix\/xwing\/)/,
  },
];

export function familyOf(checkId: string): Family | undefined {
  return FAMILIES.find((f) => f.matches.test(checkId));
}

/** The algorithm named in a check id, if any. */
export function algOf(checkId: string): string | undefined {
  return /ML-(KEM|DSA)-\d+/.exec(checkId)?.[0];
}
