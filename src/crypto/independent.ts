// Which implementation a backend's outputs are compared with. Comparing a
// backend with itself proves nothing, so the comparison is always another
// code base: liboqs (C, via WebAssembly) for noble, noble (pure JS, checked
// against every NIST vector) for anything else. It is taken from the selected
// backends when there, and loaded otherwise.
import type { CryptoBackend } from './backend.ts';
import { loadBuiltin, type BuiltinBackend } from './select.ts';

export type Independent = { backend: CryptoBackend } | { reason: string };

/** The code base a backend runs: mutants and adapters built on noble still count as their own. */
export function independentNameFor(underTest: Pick<CryptoBackend, 'name'>): BuiltinBackend {
  return underTest.name === 'noble' ? 'liboqs' : 'noble';
}

type Loader = (name: BuiltinBackend) => Promise<CryptoBackend>;

const loaded = new Map<BuiltinBackend, Promise<Independent>>();

function attempt(name: BuiltinBackend, load: Loader): Promise<Independent> {
  return load(name).then(
    (backend) => ({ backend }),
    (e: Error) => ({ reason: `the independent implementation ${name} could not be loaded: ${e.message}` }),
  );
}

/** The built-ins are loaded once per process; an injected loader (tests) bypasses the cache both ways. */
function loadOnce(name: BuiltinBackend, load: Loader): Promise<Independent> {
  if (load !== loadBuiltin) return attempt(name, load);
  let p = loaded.get(name);
  if (!p) {
    p = attempt(name, load);
    loaded.set(name, p);
  }
  return p;
}

/**
 * The independent implementation for `underTest`: a selected backend of that
 * name, or the built-in one, loaded once per process. Never `underTest` itself.
 */
export async function independentFor(
  underTest: CryptoBackend,
  selected: readonly CryptoBackend[],
  load: Loader = loadBuiltin,
): Promise<Independent> {
  const name = independentNameFor(underTest);
  const chosen = selected.find((b) => b.name === name && b !== underTest);
  return chosen ? { backend: chosen } : loadOnce(name, load);
}
