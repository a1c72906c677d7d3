// The matrix's pinned findings: third-party failures that are results, not
// harness bugs (docs/findings.md has the write-up of each, F1..F7). A pinned
// cell that fails is XFAIL; one that starts passing is XPASS and fails the
// run, so a change in a library's behaviour is noticed.
export interface Expectation {
  /** Finding id in docs/findings.md. */
  finding: string;
  library: string;
  families: readonly string[];
  /**
   * The pin holds only when a vector file whose path contains this text ran
   * in the cell (a finding seen only with the full upstream Wycheproof set).
   */
  requiresFile?: string;
}

/** Every family a FIPS 203 vector or ML-KEM peer decides: all of them fail for Kyber round 3. */
const ROUND3_KEM_FAMILIES = [
  'acvp-keygen',
  'acvp-encaps',
  'acvp-decaps',
  'acvp-key-checks',
  'wycheproof',
  'drbg',
  'accumulated',
  'implicit-rejection',
  'determinism',
  'interop',
  'xwing',
];

export const EXPECTATIONS: readonly Expectation[] = [
  { finding: 'F1', library: 'pqclean', families: ['acvp-key-checks', 'wycheproof'] },
  { finding: 'F2', library: 'mlkem', families: ['acvp-key-checks', 'wycheproof'] },
  { finding: 'F3', library: 'crystals-kyber', families: ROUND3_KEM_FAMILIES },
  { finding: 'F4', library: 'pqc-kyber', families: ROUND3_KEM_FAMILIES },
  { finding: 'F5', library: 'dilithium-crystals', families: ['interop'] },
  { finding: 'F6', library: 'liboqs', families: ['wycheproof-signing-keys'], requiresFile: 'wycheproof/testvectors_v1/mldsa_' },
  { finding: 'F7', library: 'theqrl-mldsa87', families: ['wycheproof-signing-keys'], requiresFile: 'wycheproof/testvectors_v1/mldsa_87_' },
];
