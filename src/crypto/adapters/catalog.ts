// Every library the ecosystem matrix certifies: the built-in backends and the
// npm libraries teams pick, each as a CryptoBackend (all families run) or,
// when its API is asynchronous or its private keys are seeds, as an
// AsyncLibrary (pairwise interop and X-Wing). Why each library is in or out
// is in docs/findings.md.
import type { CryptoBackend } from '../backend.ts';
import { loadBuiltin, type BuiltinBackend } from '../select.ts';
import { liftBackend, type AsyncLibrary } from './async-library.ts';
import { NODE_PQC_NOT_CERTIFIED, nodePqcUnavailable } from './node-webcrypto.ts';

/** One line, shown once per row instead of one failure per FIPS 203 vector. */
export const ROUND3_KYBER =
  'CRYSTALS-Kyber round 3, not FIPS 203: keygen hashes G(d) without k (FIPS 203 Alg. 13 line 1), encaps hashes m first and ' +
  'derives K = KDF(K̄ || H(c)) (Alg. 17 takes K from G(m || H(ek))), rejection returns KDF(z || H(c)) not J(z || c) (Alg. 18 line 10); ' +
  'so every FIPS 203 vector and every ML-KEM peer disagrees by design';

/** One line, shown once per row instead of one failure per FIPS 204 vector. */
export const ROUND3_DILITHIUM =
  'CRYSTALS-Dilithium round 3 (Dilithium5), not FIPS 204: sk 4864 and signature 4597 bytes against ML-DSA-87 4896 and 4627 ' +
  '(tr and c̃ are 64 bytes in FIPS 204 Table 2; M\u2032 = 0 || |ctx| || ctx || M, §5.2), so no FIPS 204 vector or ML-DSA peer can agree';

export interface LoadedLibrary {
  /** Present when the library implements CryptoBackend: every family runs. */
  backend?: CryptoBackend;
  library: AsyncLibrary;
}

export interface LibraryEntry {
  /** Row id; for a CryptoBackend row also its `-b` name. */
  name: string;
  /** The npm package (or runtime) it comes from. */
  source: string;
  /** Set for pre-standard libraries: the one-line reason FIPS vectors fail. */
  preFips?: string;
  /** Why the known-answer and property families are n/a for an AsyncLibrary row. */
  asyncNote?: string;
  /** Why the library cannot run here (checked before loading), or undefined. */
  unavailable?: () => string | undefined;
  load(): Promise<LoadedLibrary>;
}

const backendRow = (name: BuiltinBackend, source: string, preFips?: string): LibraryEntry => ({
  name,
  source,
  ...(preFips ? { preFips } : {}),
  async load() {
    const backend = await loadBuiltin(name);
    return { backend, library: liftBackend(backend) };
  },
});

const HPKE_NOTE =
  'HPKE KEM API (draft-ietf-hpke-pq): asynchronous, and a private key is the seed, never the expanded FIPS 203 dk the vector files give; ' +
  'its ML-KEM arithmetic is the mlkem package (row mlkem)';

export const LIBRARIES: readonly LibraryEntry[] = [
  backendRow('noble', '@noble/post-quantum'),
  backendRow('liboqs', '@oqs/liboqs-js'),
  backendRow('pqclean', 'pqclean'),
  backendRow('mlkem', 'mlkem'),
  backendRow('theqrl-mldsa87', '@theqrl/mldsa87'),
  backendRow('crystals-kyber', 'crystals-kyber', ROUND3_KYBER),
  backendRow('pqc-kyber', 'pqc-kyber', ROUND3_KYBER),
  {
    name: 'hpke-ml-kem',
    source: '@hpke/ml-kem',
    asyncNote: HPKE_NOTE,
    load: async () => ({ library: (await import('./hpke.ts')).createHpkeMlKemLibrary() }),
  },
  {
    name: 'hpke-x-wing',
    source: '@hpke/hybridkem-x-wing',
    asyncNote: `${HPKE_NOTE}; X-Wing only`,
    load: async () => ({ library: (await import('./hpke.ts')).createHpkeXWingLibrary() }),
  },
  {
    name: 'dilithium-crystals',
    source: 'dilithium-crystals',
    preFips: ROUND3_DILITHIUM,
    asyncNote: 'asynchronous Emscripten API without seeds or signing randomness',
    load: async () => ({ library: (await import('./dilithium-crystals.ts')).createDilithiumCrystalsLibrary() }),
  },
  {
    name: 'node-webcrypto',
    source: `node ${process.version}`,
    asyncNote: "Node's own node:crypto / WebCrypto",
    unavailable: () => nodePqcUnavailable() ?? NODE_PQC_NOT_CERTIFIED,
    load: () => Promise.reject(new Error(nodePqcUnavailable() ?? NODE_PQC_NOT_CERTIFIED)),
  },
];

export function libraryEntry(name: string): LibraryEntry | undefined {
  return LIBRARIES.find((l) => l.name === name);
}
