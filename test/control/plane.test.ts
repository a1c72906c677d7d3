import { beforeAll, describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { decodeRelay } from '../../src/mesh/control/fanout.ts';
import { decodeSignedGossip } from '../../src/mesh/control/gossip.ts';
import { decodePayload } from '../../src/mesh/control/payloads.ts';
import { craftRelay } from '../../suites/control/attacks.ts';
import { Cluster } from '../../suites/control/cluster.ts';
import { controlSuite } from '../../suites/control/index.ts';

let backend: CryptoBackend;
beforeAll(async () => {
  backend = await loadBackend('liboqs');
});

describe('ControlPlane', () => {
  it('counts undecodable relays and never forwards a merge message addressed to another node', () => {
    const c = new Cluster({ size: 3, backend, seed: 1 });
    c.run(600);
    const n2 = c.node('node-2');
    expect(n2.receive(new Uint8Array([1, 2, 3]), 'mallory')).toEqual([]);
    expect(n2.status().malformed).toBe(1);
    const toNode3 = craftRelay({
      origin: 'node-1',
      signer: c.signers.get('node-1')!,
      seq: 1n << 40n,
      timestamp: c.clock.now(),
      payload: { type: 'merge-request', to: 'node-3', fromSlot: 1 },
    });
    expect(n2.receive(toNode3, 'node-1')).toEqual([]);
  });

  it('answers a merge request with certified entries, three per response', () => {
    const c = new Cluster({ size: 3, backend, seed: 2 });
    c.run(600);
    for (let i = 0; i < 4; i++) {
      c.propose('node-1', 'policy', `p${i}`);
      c.run(400);
    }
    expect(c.node('node-2').logView().entries).toHaveLength(4);
    const ask = craftRelay({
      origin: 'node-1',
      signer: c.signers.get('node-1')!,
      seq: 1n << 40n,
      timestamp: c.clock.now(),
      payload: { type: 'merge-request', to: 'node-2', fromSlot: 1 },
    });
    const answers = c.node('node-2').receive(ask, 'node-1');
    expect(answers.map((s) => [s.to, s.type])).toEqual([
      ['node-1', 'merge-response'],
      ['node-1', 'merge-response'],
    ]);
    const entries = answers.flatMap((a) => {
      const g = decodeSignedGossip(decodeRelay(a.bytes).gossip);
      const p = decodePayload(g.kind, g.payload);
      return p.type === 'merge-response' ? p.entries.map((e) => e.slot) : [];
    });
    expect(entries).toEqual([1, 2, 3, 4]);
  });
});

describe('controlSuite', () => {
  it('builds the eight in-process checks and the two real-process ones for a run, and runs them through the Check interface', async () => {
    const checks = await controlSuite.checks({ backends: [backend], profile: 'pr', seed: 9 });
    expect(checks.map((c) => c.id)).toHaveLength(10);
    expect(checks.filter((c) => c.id.startsWith('control/nodes/')).map((c) => c.id)).toEqual([
      'control/nodes/quorum/minority-commits/3',
      'control/nodes/heal/converges/3',
    ]);
    const stale = checks.find((c) => c.id === 'control/gossip/stale')!;
    const v = await stale.run({ seed: 9, profile: 'pr' });
    expect(v.status).toBe('pass');
    expect(v.evidence).toMatchObject({ nodes: 3, protocol: 'reference' });
  });
});
