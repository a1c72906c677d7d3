// Adapter for `pqc-kyber` (Rust CRYSTALS-Kyber round 3 compiled to
// WebAssembly, pre-FIPS 203; built with its default Kyber768 parameters).
// The package is a wasm-bindgen "bundler" build whose entry imports the
// .wasm file directly, which Node cannot; so the module is instantiated here
// from the package's own binary and glue. Randomness arrives through
// globalThis.crypto.getRandomValues (getrandom's web path): 32 bytes d and
// 32 bytes z per key pair, 32 bytes m per encapsulation, injected for
// deterministic calls (inject.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assembleBackend } from '../assemble.ts';
import type { CryptoBackend, Kem } from '../backend.ts';
import { packageVersion } from '../version.ts';
import { withRandomnessFrom } from './inject.ts';

/** The WebAssembly API as far as used here (the ES2023 lib has no WebAssembly types). */
interface Wasm {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, object>): Promise<{ exports: object }>;
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

interface PqcKyberGlue {
  __wbg_set_wasm(exports: object): void;
  keypair(): { pubkey: Uint8Array; secret: Uint8Array };
  encapsulate(pk: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(ct: Uint8Array, sk: Uint8Array): Uint8Array;
}

async function loadGlue(): Promise<PqcKyberGlue> {
  const dir = dirname(createRequire(import.meta.url).resolve('pqc-kyber/package.json'));
  const glue = (await import(pathToFileURL(join(dir, 'pqc_kyber_bg.js')).href)) as PqcKyberGlue;
  const module = await wasm.compile(readFileSync(join(dir, 'pqc_kyber_bg.wasm')));
  const instance = await wasm.instantiate(module, { './pqc_kyber_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  return glue;
}

function kyber768(glue: PqcKyberGlue): Kem {
  const inject = <T>(chunks: Uint8Array[] | undefined, op: () => T) =>
    chunks ? withRandomnessFrom('pqc-kyber', globalThis.crypto, 'getRandomValues', chunks, op) : op();
  return {
    alg: 'ML-KEM-768',
    keygen(seed) {
      const keys = inject(seed && [seed.slice(0, 32), seed.slice(32, 64)], () => glue.keypair());
      return { ek: keys.pubkey, dk: keys.secret };
    },
    encaps(ek, m) {
      const kex = inject(m && [Uint8Array.from(m)], () => glue.encapsulate(ek));
      return { ct: kex.ciphertext, ss: kex.sharedSecret };
    },
    decaps: (dk, ct) => glue.decapsulate(ct, dk),
  };
}

export async function createPqcKyberBackend(): Promise<CryptoBackend> {
  const glue = await loadGlue();
  return assembleBackend({
    name: 'pqc-kyber',
    version: `pqc-kyber ${packageVersion('pqc-kyber')}`,
    deterministic: true,
    edge: 'raw',
    kems: [kyber768(glue)],
    sigs: [],
  });
}
