// How many cases each pinned upstream vector file holds, per parameter set
// and function and per result kind. A regenerated file that lost a group or
// all its negative cases still parses, so the loader alone would not notice.
//
// Source: counted from the pinned files themselves (vectors/manifest.json):
// ACVP-Server tag v1.1.0.43 gen-val/json-files/*/prompt.json +
// expectedResults.json; C2SP/wycheproof commit dac1dd47 testvectors_v1/; and
// the trimmed copies of the latter in wycheproof-sample/.

/** At least this many cases; `passed`/`failed` count testPassed true/false (ACVP key checks, sigVer). */
export interface AcvpCount {
  total: number;
  passed?: number;
  failed?: number;
}

export interface WycheproofCount {
  total: number;
  valid: number;
  invalid: number;
}

const kemKeyChecks = (alg: string): Record<string, AcvpCount> => ({
  [`${alg}/encapsulationKeyCheck`]: { total: 10, passed: 5, failed: 5 },
  [`${alg}/decapsulationKeyCheck`]: { total: 10, passed: 5, failed: 5 },
});

const each = <T>(algs: string[], f: (alg: string) => Record<string, T>): Record<string, T> => Object.assign({}, ...algs.map(f));
const KEMS = ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'];
const DSAS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'];

/** By "<algorithm> <mode> <revision>", then "<parameterSet>/<function or mode>". */
export const ACVP_COUNTS: Readonly<Record<string, Record<string, AcvpCount>>> = {
  'ML-KEM keyGen FIPS203': each(KEMS, (a) => ({ [`${a}/keyGen`]: { total: 25 } })),
  'ML-KEM encapDecap FIPS203': each(KEMS, (a) => ({
    [`${a}/encapsulation`]: { total: 25 },
    [`${a}/decapsulation`]: { total: 10 },
    ...kemKeyChecks(a),
  })),
  'ML-KEM encapDecap FIPS203-tr1': each(KEMS, (a) => ({
    [`${a}/encapsulation`]: { total: 25 },
    // 10 seed-form + 10 expanded keys
    [`${a}/decapsulation`]: { total: 20 },
    ...kemKeyChecks(a),
  })),
  'ML-DSA keyGen FIPS204': each(DSAS, (a) => ({ [`${a}/keyGen`]: { total: 25 } })),
  'ML-DSA sigGen FIPS204': each(DSAS, (a) => ({ [`${a}/sigGen`]: { total: 120 } })),
  'ML-DSA sigGen FIPS204-tr1': each(DSAS, (a) => ({ [`${a}/sigGen`]: { total: 240 } })),
  'ML-DSA sigVer FIPS204': each(DSAS, (a) => ({ [`${a}/sigVer`]: { total: 60, passed: 12, failed: 48 } })),
};

/** Upstream testvectors_v1 files by file name. */
export const WYCHEPROOF_COUNTS: Readonly<Record<string, WycheproofCount>> = {
  'mldsa_44_sign_noseed_test.json': { total: 73, valid: 68, invalid: 5 },
  'mldsa_44_sign_seed_test.json': { total: 86, valid: 82, invalid: 4 },
  'mldsa_44_verify_test.json': { total: 180, valid: 77, invalid: 103 },
  'mldsa_65_sign_noseed_test.json': { total: 78, valid: 73, invalid: 5 },
  'mldsa_65_sign_seed_test.json': { total: 105, valid: 101, invalid: 4 },
  'mldsa_65_verify_test.json': { total: 210, valid: 79, invalid: 131 },
  'mldsa_87_sign_noseed_test.json': { total: 69, valid: 64, invalid: 5 },
  'mldsa_87_sign_seed_test.json': { total: 96, valid: 92, invalid: 4 },
  'mldsa_87_verify_test.json': { total: 241, valid: 71, invalid: 170 },
  'mlkem_512_encaps_test.json': { total: 261, valid: 133, invalid: 128 },
  'mlkem_512_keygen_seed_test.json': { total: 100, valid: 100, invalid: 0 },
  'mlkem_512_semi_expanded_decaps_test.json': { total: 9, valid: 3, invalid: 6 },
  'mlkem_512_test.json': { total: 193, valid: 153, invalid: 40 },
  'mlkem_768_encaps_test.json': { total: 265, valid: 133, invalid: 132 },
  'mlkem_768_keygen_seed_test.json': { total: 100, valid: 100, invalid: 0 },
  'mlkem_768_semi_expanded_decaps_test.json': { total: 9, valid: 3, invalid: 6 },
  'mlkem_768_test.json': { total: 193, valid: 153, invalid: 40 },
  'mlkem_1024_encaps_test.json': { total: 269, valid: 133, invalid: 136 },
  'mlkem_1024_keygen_seed_test.json': { total: 100, valid: 100, invalid: 0 },
  'mlkem_1024_semi_expanded_decaps_test.json': { total: 9, valid: 3, invalid: 6 },
  'mlkem_1024_test.json': { total: 193, valid: 153, invalid: 40 },
};

/** The trimmed copies under wycheproof-sample/testvectors_v1/, by file name. */
export const WYCHEPROOF_SAMPLE_COUNTS: Readonly<Record<string, WycheproofCount>> = {
  'mldsa_65_sign_noseed_test.json': { total: 6, valid: 3, invalid: 3 },
  'mldsa_65_sign_seed_test.json': { total: 6, valid: 5, invalid: 1 },
  'mldsa_65_verify_test.json': { total: 8, valid: 2, invalid: 6 },
  'mlkem_768_encaps_test.json': { total: 3, valid: 1, invalid: 2 },
  'mlkem_768_keygen_seed_test.json': { total: 1, valid: 1, invalid: 0 },
  'mlkem_768_semi_expanded_decaps_test.json': { total: 5, valid: 2, invalid: 3 },
  'mlkem_768_test.json': { total: 3, valid: 2, invalid: 1 },
};
