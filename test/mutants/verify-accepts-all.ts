// Mutant: signature verification accepts anything.
import { mutate } from './wrap.ts';

export default async () => mutate('verify-accepts-all', { sig: () => ({ verify: () => true }) });
