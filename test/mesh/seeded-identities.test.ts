// Replayable identities (issue 11, docs/node-contract.md §7): prepareMesh with
// an identity seed derives the CA's and every node's ML-DSA-65, ML-DSA-87 and
// Ed25519 key pairs from it, so a chaos run replays with the same key material.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { prepareMesh } from '../../src/mesh/node/launcher.ts';
import { caPaths, nodePaths, readCertificate, readIdentity } from '../../src/mesh/node/identity-files.ts';
import { identitySigner } from '../../src/mesh/protocol/ciphersuites.ts';

const noble = createNobleBackend();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every public key a prepared mesh holds, hex, by subject and algorithm. */
async function publicKeys(identitySeed: number | undefined, backend: CryptoBackend = noble): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'pqc-seeded-ids-'));
  dirs.push(dir);
  const specs = await prepareMesh(dir, 3, { backend, identitySeed });
  const out: Record<string, string> = {};
  for (const [alg, pk] of readCertificate(caPaths(dir).cert).keys) out[`ca ${alg}`] = Buffer.from(pk).toString('hex');
  for (const s of specs) {
    const p = nodePaths(dir, s.id);
    const id = readIdentity(p.cert, p.key);
    for (const [alg, pk] of id.certificate.keys) {
      out[`${s.id} ${alg}`] = Buffer.from(pk).toString('hex');
      // The secret key in the key file belongs to the certified public key: a signature verifies.
      const signer = identitySigner(backend, alg);
      const msg = new TextEncoder().encode(`${s.id} ${alg}`);
      expect(signer.verify(pk, msg, signer.sign(id.keys.secretKeys.get(alg)!, msg))).toBe(true);
    }
  }
  return out;
}

describe('seeded identities', () => {
  it('one seed, two prepareMesh: identical public keys for the CA and every node, both algorithms', async () => {
    const [a, b] = [await publicKeys(1), await publicKeys(1)];
    expect(Object.keys(a).sort()).toEqual([
      'ca ML-DSA-65',
      ...['node-1', 'node-2', 'node-3'].flatMap((n) => [`${n} Ed25519`, `${n} ML-DSA-65`, `${n} ML-DSA-87`]),
    ]);
    expect(b).toEqual(a);
    // Nodes of one mesh get distinct keys.
    expect(new Set(Object.values(a)).size).toBe(Object.keys(a).length);
  });
  it('different seeds, or no seed, give different keys for every subject', async () => {
    const [a, b, fresh] = [await publicKeys(1), await publicKeys(2), await publicKeys(undefined)];
    for (const k of Object.keys(a)) {
      expect(b[k], k).not.toBe(a[k]);
      expect(fresh[k], k).not.toBe(a[k]);
    }
  });
  it('a backend that ignores keygen seeds is refused by name, not silently unseeded', async () => {
    const ignoresSeeds: CryptoBackend = { ...noble, name: 'seedless', deterministic: false, kem: noble.kem, sig: noble.sig };
    await expect(publicKeys(1, ignoresSeeds)).rejects.toThrow(/backend seedless ignores key generation seeds/);
  });
});
