// POST /handshake {peer}: the SLO load's unit of work on a real 2-node mesh
// started from the node-command template.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumOf, parseExposition } from '../../bench/slo/exposition.ts';
import { runMessageLoad } from '../../bench/slo/messages.ts';
import { adminHeaders, scrape, startSloMesh, triggerHandshake, waitFullyConnected, type SloMesh } from '../../bench/slo/mesh.ts';
import { parseNodeCommand, referenceNodeCommand } from '../../bench/slo/node-command.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';

interface Status {
  peers: { id: string; connected: boolean; session: { sessionId: string } | null }[];
}

describe('admin POST /handshake', () => {
  let mesh: SloMesh;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slo-admin-'));
    mesh = await startSloMesh(dir, { nodes: 2, backend: createNobleBackend(), command: referenceNodeCommand() });
    await waitFullyConnected(mesh);
  });
  afterAll(async () => {
    await mesh?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const node = (id: string) => mesh.nodes.find((n) => n.id === id)!;
  const status = async (id: string) =>
    (await (await fetch(`${node(id).admin}/status`, { headers: adminHeaders(node(id).admin) })).json()) as Status;

  it('runs one fresh handshake, counted on both sides, and the new session replaces the old', async () => {
    const before = (await status('node-1')).peers[0].session?.sessionId;
    const counts = async () =>
      Promise.all(
        ['node-1', 'node-2'].map(async (id) => sumOf(parseExposition(await scrape(node(id).admin)), 'pqc_handshake_success_total')),
      );
    const [s1, s2] = await counts();
    const answer = await triggerHandshake(node('node-1').admin, 'node-2');
    expect(answer).toMatchObject({ peer: 'node-2', ok: true, suite: 'XWING-MLDSA65' });
    expect(answer.latencyMs).toBeGreaterThan(0);
    const [a1, a2] = await counts();
    expect([a1 - s1, a2 - s2]).toEqual([1, 1]);
    await waitFullyConnected(mesh);
    const after = (await status('node-1')).peers[0].session?.sessionId;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const sent = await fetch(`${node('node-1').admin}/send`, {
      method: 'POST',
      headers: adminHeaders(node('node-1').admin),
      body: JSON.stringify({ to: 'node-2', payload: 'after probe' }),
    });
    expect(sent.status).toBe(200);
  });

  it('answers 404 for an unknown peer and 400 naming a bad field', async () => {
    const unknown = await fetch(`${node('node-1').admin}/handshake`, {
      method: 'POST',
      headers: adminHeaders(node('node-1').admin),
      body: JSON.stringify({ peer: 'node-9' }),
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/unknown peer node-9/);
    const bad = await fetch(`${node('node-1').admin}/handshake`, {
      method: 'POST',
      headers: adminHeaders(node('node-1').admin),
      body: JSON.stringify({ peer: 7 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/field "peer"/);
    expect((await fetch(`${node('node-1').admin}/handshake`, { headers: adminHeaders(node('node-1').admin) })).status).toBe(405);
  });
});

describe('message load over established sessions', () => {
  it('delivers every scheduled message and times each from its intended start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-msg-'));
    try {
      const load = await runMessageLoad({
        dir,
        nodes: 2,
        messages: 40,
        ratePerSecond: 40,
        concurrency: 4,
        arrival: 'constant',
        seed: 1,
        payloadBytes: 64,
        command: referenceNodeCommand(),
        backend: createNobleBackend(),
      });
      expect(load.succeeded).toBe(40);
      expect(load.latency.count).toBe(40);
      expect(load.latency.p50).toBeGreaterThanOrEqual(load.serviceTime.p50 - 0.01);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('node command templates', () => {
  it('fills {config} and {node}, keeps quoted words whole, and refuses a template without {config}', () => {
    const t = parseNodeCommand(`{node} --import tsx "/a b/mutant.ts" --config {config}`);
    expect(t.argv('/m/n1.yaml')).toEqual({
      command: process.execPath,
      args: ['--import', 'tsx', '/a b/mutant.ts', '--config', '/m/n1.yaml'],
    });
    expect(() => parseNodeCommand('my-node --config x.yaml')).toThrow(/no \{config\} placeholder/);
    expect(() => parseNodeCommand('  ')).toThrow(/empty/);
  });
});
