// Mutant X-Wing library: the combiner's label is one byte off, so the shared
// secret differs from the draft's (§5.3) while pk and ct are right. Built on
// the harness's own X-Wing over noble, exposed as an async library like
// @hpke/hybridkem-x-wing. Only the X-Wing column can see it.
import { sha3_256 } from '@noble/hashes/sha3.js';
import type { AsyncLibrary } from '../../../src/crypto/adapters/async-library.ts';
import { createNobleBackend } from '../../../src/crypto/noble.ts';
import { createXWing } from '../../../src/crypto/xwing.ts';

export default function xwingWrongLabel(): AsyncLibrary {
  const xw = createXWing(createNobleBackend());
  const skew = (ss: Uint8Array) => sha3_256(Uint8Array.from([...ss, 0x5c]));
  return {
    name: 'mutant:xwing-wrong-label',
    version: 'harness X-Wing with one seeded defect (combiner label)',
    deterministic: true,
    kems: [],
    sigs: [],
    xwing: {
      keygen: async (seed) => ({ pk: xw.keygen(seed).pk }),
      async encaps(pk, eseed) {
        const { ct, ss } = xw.encaps(pk, eseed);
        return { ct, ss: skew(ss) };
      },
      decaps: async (seed, ct) => skew(xw.decaps(seed, ct)),
    },
  };
}
