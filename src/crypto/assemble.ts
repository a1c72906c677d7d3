// Builds a CryptoBackend from its per-algorithm parts, so every adapter
// shares one lookup that names the backend and algorithm it lacks.
import { UnsupportedAlgorithmError, type CryptoBackend, type Kem, type Signer } from './backend.ts';

export interface BackendParts {
  name: string;
  version: string;
  deterministic: boolean;
  insecure?: boolean;
  kems: readonly Kem[];
  sigs: readonly Signer[];
}

export function assembleBackend(parts: BackendParts): CryptoBackend {
  const kems = new Map(parts.kems.map((k) => [k.alg, k]));
  const sigs = new Map(parts.sigs.map((s) => [s.alg, s]));
  return {
    name: parts.name,
    version: parts.version,
    deterministic: parts.deterministic,
    ...(parts.insecure ? { insecure: true } : {}),
    kems: [...kems.keys()],
    sigs: [...sigs.keys()],
    kem(alg) {
      const k = kems.get(alg);
      if (!k) throw new UnsupportedAlgorithmError(parts.name, alg);
      return k;
    },
    sig(alg) {
      const s = sigs.get(alg);
      if (!s) throw new UnsupportedAlgorithmError(parts.name, alg);
      return s;
    },
  };
}
