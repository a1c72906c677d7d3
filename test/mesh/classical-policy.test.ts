// Issue 9 §3: `allowClassicalFallback: true` allows the classical suite only
// during an active fallback episode. In state `pqc` the responder refuses it
// (policy) and never signs a classical ACCEPT.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeshNode } from '../../src/mesh/node/node.ts';
import { reasonOf } from '../../src/mesh/protocol/errors.ts';
import { metricValue } from '../support/mesh.ts';
import { dialAs, nodeFiles, startNode, type NodeFiles } from '../support/node.ts';

let files: NodeFiles;
let node: MeshNode;
beforeAll(async () => {
  // z-node only accepts (the smaller id dials), and its policy allows classical with a-peer.
  files = await nodeFiles(['a-peer', 'z-node']);
  const config = files.config('z-node');
  node = await startNode({ ...config, peers: config.peers.map((p) => ({ ...p, allowClassicalFallback: true })) });
});
afterAll(async () => {
  await node?.stop();
  rmSync(files.dir, { recursive: true, force: true });
});

describe('classical suite and the fallback state', () => {
  it('in state pqc, a classical HELLO from a peer whose policy allows classical is refused as policy', async () => {
    expect(node.fallback.state).toBe('pqc');
    const { result } = await dialAs(files, files.identity('a-peer'), node.listenAddress, 'z-node', ['X25519-ED25519']);
    const err = await result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(reasonOf(err)).toBe('policy');
    expect(String(err)).toMatch(/not acceptable/);
    expect(metricValue(await node.metrics.exposition(), 'pqc_handshake_failure_total{reason="policy"}')).toBeGreaterThanOrEqual(1);
  });

  it('during a fallback episode the same HELLO gets a classical session', async () => {
    node.fallback.activate('operator', 'test: classical allowed now');
    const { conn, result } = await dialAs(files, files.identity('a-peer'), node.listenAddress, 'z-node', ['X25519-ED25519']);
    const session = await result;
    expect(session.suite.name).toBe('X25519-ED25519');
    conn.close();
  });
});
