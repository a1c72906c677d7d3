// Mutant: context strings are dropped before signing and verifying.
import { mutate } from './wrap.ts';

export default async () =>
  mutate('ignores-context', {
    sig: (honest) => ({
      sign: (sk, msg, opts = {}) => honest.sign(sk, msg, { rnd: opts.rnd }),
      verify: (pk, msg, sig) => honest.verify(pk, msg, sig),
    }),
  });
