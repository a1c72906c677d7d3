// Test PKI: one mesh CA with a few nodes, and a rogue CA, made once per file.
import { createNobleBackend } from '../../src/crypto/noble.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createCa, issueNode, trustAnchor, type Identity, type TrustAnchor } from '../../src/mesh/protocol/certificate.ts';
import { bindCipherSuites, type CipherSuite, type CipherSuiteName } from '../../src/mesh/protocol/ciphersuites.ts';
import type { HandshakeConfig } from '../../src/mesh/protocol/handshake.ts';
import { referenceProtocol, type MeshProtocol } from '../../src/mesh/protocol/seams.ts';

export interface TestPki {
  backend: CryptoBackend;
  ca: Identity;
  trust: TrustAnchor;
  node(id: string): Identity;
  rogue(id: string): Identity;
}

export function makePki(backend: CryptoBackend = createNobleBackend()): TestPki {
  const ca = createCa('test-mesh', backend);
  const rogueCa = createCa('rogue-mesh', backend);
  const nodes = new Map<string, Identity>();
  return {
    backend,
    ca,
    trust: trustAnchor(ca.certificate, backend),
    node(id) {
      let n = nodes.get(id);
      if (!n) nodes.set(id, (n = issueNode(ca, id, backend)));
      return n;
    },
    rogue: (id) => issueNode(rogueCa, id, backend),
  };
}

export function handshakeConfig(
  pki: TestPki,
  identity: Identity,
  over: Partial<HandshakeConfig> & { protocol?: MeshProtocol } = {},
): HandshakeConfig {
  const suites = bindCipherSuites(pki.backend);
  return {
    identity,
    trust: pki.trust,
    suites,
    offer: ['XWING-MLDSA65', 'MLKEM1024-MLDSA87'] satisfies CipherSuiteName[],
    accepts: (s: CipherSuite) => !s.classical,
    isPeer: () => true,
    protocol: referenceProtocol,
    timeoutMs: 5000,
    ...over,
  };
}
