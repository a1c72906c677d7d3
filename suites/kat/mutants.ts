// The backends with one seeded bug that the known-answer families must catch.
// Each family has at least one; several have one per algorithm family.
import type { MutantSpec } from '../mutant.ts';

const backend = (name: string, kills: string[], profiles?: MutantSpec['profiles']): MutantSpec => ({
  name,
  kind: 'backend',
  module: `test/mutants/${name}.ts`,
  kills,
  ...(profiles ? { profiles } : {}),
});

const vectors = (name: string, kills: string[]): MutantSpec => ({
  name,
  kind: 'vectors',
  module: `test/mutants/vectors/${name}.ts`,
  kills,
});

export const katMutants: readonly MutantSpec[] = [
  // FIPS 203 Alg. 16 with the draft's G(d) instead of G(d || k).
  backend('mlkem-draft-keygen', ['kat/acvp/*/keyGen', 'kat/wycheproof/*/keygen_seed', 'kat/drbg/*']),
  // FIPS 203 §7.2: no modulus check of the encapsulation key.
  backend('mlkem-no-modulus-check', ['kat/acvp/*/encapsulationKeyCheck', 'kat/wycheproof/*/encaps']),
  // FIPS 203 §7.3: no hash check of the decapsulation key.
  backend('mlkem-no-hash-check', ['kat/acvp/*/decapsulationKeyCheck', 'kat/wycheproof/*/semi_expanded_decaps']),
  // FIPS 203 Alg. 18 line 9 compared like C strcmp.
  backend('mlkem-strcmp-decaps', ['kat/wycheproof/*/test']),
  // Wrong on one decapsulation in 4096: only the release-size accumulated test reaches it.
  backend('mlkem-rare-decaps', ['kat/accumulated/*'], ['release']),
  backend('flipped-ss-bit', ['kat/acvp/*/encapsulation', 'kat/xwing']),
  backend('rejection-without-secret', ['kat/acvp/*/decapsulation']),
  backend('ignores-seed', ['kat/acvp/*/keyGen', 'kat/wycheproof/*/sign_seed']),
  backend('ignores-context', ['kat/acvp/*/sigGen', 'kat/wycheproof/*/sign_noseed']),
  backend('verify-accepts-all', ['kat/acvp/*/sigVer', 'kat/wycheproof/*/verify']),
  backend('ignores-rnd', ['kat/drbg/*', 'kat/accumulated/*']),
  // A vector set with a file nobody pinned.
  { name: 'unpinned-file', kind: 'vectors', module: 'test/mutants/vectors/unpinned-file.ts', kills: ['kat/vectors'] },
  // Vector sets that cannot discriminate (vectors/lint): ACVP-Server #459, #460, a Wycheproof schema violation.
  vectors('acvp-459-missing-dk', ['kat/lint']),
  vectors('acvp-460-short-negative-ek', ['kat/lint']),
  vectors('wycheproof-schema-violation', ['kat/lint']),
];
