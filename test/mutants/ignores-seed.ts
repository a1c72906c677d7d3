// Mutant: claims to be deterministic but key generation ignores the seed.
import { mutate } from './wrap.ts';

export default async () =>
  mutate('ignores-seed', {
    kem: (honest) => ({ keygen: () => honest.keygen() }),
    sig: (honest) => ({ keygen: () => honest.keygen() }),
  });
