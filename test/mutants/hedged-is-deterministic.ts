// Mutant: "hedged" signing without rnd silently signs deterministically
// (rnd = 32 zero bytes), so fault attacks on repeated signing get easier.
import { mutate } from './wrap.ts';

export default async () =>
  mutate('hedged-is-deterministic', {
    sig: (honest) => ({ sign: (sk, msg, opts = {}) => honest.sign(sk, msg, { ...opts, rnd: opts.rnd ?? new Uint8Array(32) }) }),
  });
