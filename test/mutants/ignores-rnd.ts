// Mutant: signing ignores the caller's rnd and always draws fresh randomness.
import { mutate } from './wrap.ts';

export default async () =>
  mutate('ignores-rnd', {
    sig: (honest) => ({ sign: (sk, msg, opts = {}) => honest.sign(sk, msg, { context: opts.context }) }),
  });
