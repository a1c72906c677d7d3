// Mutant: key generation reads the seed one byte rotated (a wrong offset when
// splitting d || z). It is deterministic and round-trips with itself, so only
// a byte-for-byte comparison with an independent implementation sees it.
import { mutate } from './wrap.ts';

const rotated = (b: Uint8Array) => Uint8Array.from([...b.subarray(1), b[0]]);

export default async () =>
  mutate('shifted-seed', {
    kem: (honest) => ({ keygen: (seed) => honest.keygen(seed && rotated(seed)) }),
  });
