// Mutant: encapsulation to a key with a coefficient >= q crashes (a TypeError
// from reading a table that is not there, as a buggy decoder would) instead
// of refusing the key. Everything else is honest.
import { KEM_SIZES } from '../../src/crypto/algorithms.ts';
import { firstUnreducedCoefficient } from '../../vectors/lint/mlkem-keys.ts';
import { mutate } from './wrap.ts';

export default async () =>
  mutate('crashes-on-unreduced-ek', {
    kem: (honest) => ({
      encaps(ek, m) {
        if (ek.length === KEM_SIZES[honest.alg].ek && firstUnreducedCoefficient(honest.alg, ek) >= 0) {
          const tables: { reduce?: Uint16Array } = {};
          return { ct: Uint8Array.from(tables.reduce!), ss: new Uint8Array(32) };
        }
        return honest.encaps(ek, m);
      },
    }),
  });
