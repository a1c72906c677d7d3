// Mutant: every operation answers "unsupported", hoping to turn every check
// into a skip.
import { UnsupportedCapabilityError } from '../../src/crypto/backend.ts';
import { mutate } from './wrap.ts';

const refuse = (what: string) => () => {
  throw new UnsupportedCapabilityError('mutant:refuses-everything', what);
};

export default async () =>
  mutate('refuses-everything', {
    kem: () => ({ keygen: refuse('keygen'), encaps: refuse('encaps'), decaps: refuse('decaps') }),
    sig: () => ({ keygen: refuse('keygen'), sign: refuse('sign'), verify: refuse('verify') }),
  });
