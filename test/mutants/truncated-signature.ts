// Mutant: signatures lose their last byte (an off-by-one in the encoder).
import { mutate } from './wrap.ts';

export default async () =>
  mutate('truncated-signature', {
    sig: (honest) => ({ sign: (sk, msg, opts) => honest.sign(sk, msg, opts).slice(0, -1) }),
  });
