// Mesh nodes in the test process (no child process), and a hand-driven
// initiator dialling one of them over real loopback TCP.
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { loadNodeConfig, splitAddress, type NodeConfig } from '../../src/mesh/node/config.ts';
import { FramedConnection } from '../../src/mesh/node/connection.ts';
import { caPaths, nodePaths, readCertificate, readIdentity } from '../../src/mesh/node/identity-files.ts';
import { prepareMesh, type MeshNodeSpec } from '../../src/mesh/node/launcher.ts';
import { MeshNode } from '../../src/mesh/node/node.ts';
import { trustAnchor, type Identity } from '../../src/mesh/protocol/certificate.ts';
import { bindCipherSuites, type CipherSuiteName } from '../../src/mesh/protocol/ciphersuites.ts';
import { initiate, type HandshakeResult } from '../../src/mesh/protocol/handshake.ts';
import { referenceProtocol } from '../../src/mesh/protocol/seams.ts';

export const silentLogger = pino({ level: 'silent' });

export interface NodeFiles {
  dir: string;
  specs: MeshNodeSpec[];
  identity(id: string): Identity;
  config(id: string, over?: Partial<NodeConfig>): NodeConfig;
}

/** CA, identities and configs for `ids` in a fresh temporary directory (backend noble). */
export async function nodeFiles(ids: string[], perNode: Record<string, Record<string, unknown>> = {}): Promise<NodeFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'pqc-node-'));
  const specs = await prepareMesh(dir, ids.length, { backend: createNobleBackend(), backendName: 'noble', ids, perNode });
  return {
    dir,
    specs,
    identity: (id) => readIdentity(nodePaths(dir, id).cert, nodePaths(dir, id).key),
    config: (id, over = {}) => ({ ...loadNodeConfig(join(dir, `${id}.yaml`)), ...over }),
  };
}

export function startNode(config: NodeConfig, env: NodeJS.ProcessEnv = {}): Promise<MeshNode> {
  return MeshNode.start({ config, backend: createNobleBackend(), env, logger: silentLogger });
}

/** Opens a TCP connection to `address` and runs the initiator handshake as `identity`, offering `offer`. */
export async function dialAs(
  files: NodeFiles,
  identity: Identity,
  address: string,
  expectedPeer: string,
  offer: CipherSuiteName[],
): Promise<{ conn: FramedConnection; result: Promise<HandshakeResult> }> {
  const backend = createNobleBackend();
  const { host, port } = splitAddress(address);
  const socket = connect(port, host);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const conn = new FramedConnection(socket);
  const result = initiate(
    {
      identity,
      trust: trustAnchor(readCertificate(caPaths(files.dir).cert), backend),
      suites: bindCipherSuites(backend),
      offer,
      accepts: () => false,
      isPeer: () => true,
      protocol: referenceProtocol,
      timeoutMs: 5000,
    },
    conn,
    expectedPeer,
  );
  result.catch(() => conn.fail(new Error('handshake failed')));
  return { conn, result };
}

/** The HELLO body an honest `id` (identity files in `dir`) would send: what an attacker copies off the wire. */
export async function captureHello(dir: string, id: string): Promise<Uint8Array> {
  const backend = createNobleBackend();
  const identity = readIdentity(nodePaths(dir, id).cert, nodePaths(dir, id).key);
  let hello: Uint8Array | undefined;
  const conn = {
    send: (_type: number, body: Uint8Array) => {
      hello = body;
    },
    receive: () => new Promise<never>(() => undefined),
  };
  const config = {
    identity,
    trust: trustAnchor(readCertificate(caPaths(dir).cert), backend),
    suites: bindCipherSuites(backend),
    offer: ['XWING-MLDSA65'] as CipherSuiteName[],
    accepts: () => false,
    isPeer: () => true,
    protocol: referenceProtocol,
    timeoutMs: 50,
  };
  await initiate(config, conn, 'any').catch(() => undefined);
  return hello!;
}
