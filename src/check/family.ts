// A check family: the checks that test one property, whatever the parameter
// set. `kat/acvp/ML-KEM-768/keyGen` and `kat/acvp/ML-KEM-512/keyGen` are one
// family, `kat/acvp/*/keyGen`; selftest asks of every family that some
// mutant makes it fail.

/** Segments that name a parameter set (FIPS 203 / 204 names, X-Wing), not a property. */
const PARAMETER_SET = /^(ML-KEM-\d+|ML-DSA-\d+|X-Wing|XWING-[A-Z0-9-]+|MLKEM\d+-[A-Z0-9-]+)$/;

export function familyOf(checkId: string): string {
  return checkId
    .split('/')
    .map((s) => (PARAMETER_SET.test(s) ? '*' : s))
    .join('/');
}

export const familyOfCheck = (c: { id: string; family?: string }): string => c.family ?? familyOf(c.id);
