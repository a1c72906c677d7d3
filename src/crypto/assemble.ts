// Builds a CryptoBackend from its per-algorithm parts, so every adapter
// shares one lookup that names the backend and algorithm it lacks, and one
// edge that checks input lengths (edge.ts).
import { UnsupportedAlgorithmError, type CryptoBackend, type Kem, type Signer } from './backend.ts';
import { checkedKem, checkedSigner } from './edge.ts';

export interface BackendParts {
  name: string;
  version: string;
  deterministic: boolean;
  insecure?: boolean;
  kems: readonly Kem[];
  sigs: readonly Signer[];
  /**
   * 'checked' (default): inputs are length-checked before the library sees
   * them. 'raw': the library's own input checking is what is being certified
   * (the ecosystem matrix's third-party adapters), so nothing is put before it.
   */
  edge?: 'checked' | 'raw';
}

export function assembleBackend(parts: BackendParts): CryptoBackend {
  const raw = parts.edge === 'raw';
  const kems = new Map(parts.kems.map((k) => [k.alg, raw ? k : checkedKem(parts.name, k)]));
  const sigs = new Map(parts.sigs.map((s) => [s.alg, raw ? s : checkedSigner(parts.name, s)]));
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
