// The third-party libraries that implement CryptoBackend, by name, so that
// `-b mlkem` works like `-b noble`. Each is loaded only when asked for.
import type { CryptoBackend } from '../backend.ts';

export const ECOSYSTEM_BACKENDS = ['mlkem', 'crystals-kyber', 'pqc-kyber', 'theqrl-mldsa87'] as const;
export type EcosystemBackend = (typeof ECOSYSTEM_BACKENDS)[number];

export async function loadEcosystemBackend(name: EcosystemBackend): Promise<CryptoBackend> {
  switch (name) {
    case 'mlkem':
      return (await import('./mlkem.ts')).createMlkemBackend();
    case 'crystals-kyber':
      return (await import('./crystals-kyber.ts')).createCrystalsKyberBackend();
    case 'pqc-kyber':
      return (await import('./pqc-kyber.ts')).createPqcKyberBackend();
    case 'theqrl-mldsa87':
      return (await import('./theqrl-mldsa87.ts')).createTheqrlMldsa87Backend();
  }
}
