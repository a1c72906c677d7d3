// Mutant: a backend that offers no algorithm at all, so no algorithm check
// is ever built for it.
import { mutate } from './wrap.ts';

export default async () => ({ ...mutate('no-algorithms', {}), name: 'mutant:no-algorithms', kems: [], sigs: [] });
