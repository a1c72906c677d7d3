// The second open-loop workload: application messages over the sessions the
// mesh already has (`POST /send`, answered after the peer's ACK), timed from
// intended start like the handshakes. No handshake happens during it, so the
// node histograms have nothing to add: the generator's figures stand alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { adminHeaders, startSloMesh, waitFullyConnected } from './mesh.ts';
import type { NodeCommandTemplate } from './node-command.ts';
import { runOpenLoop, type LoadResult } from './open-loop.ts';
import { intendedStarts, type Arrival } from './schedule.ts';

export interface MessageLoadOptions {
  dir: string;
  nodes: number;
  messages: number;
  ratePerSecond: number;
  concurrency: number;
  arrival: Arrival;
  seed: number;
  payloadBytes: number;
  command: NodeCommandTemplate;
  backend: CryptoBackend;
}

export async function runMessageLoad(o: MessageLoadOptions): Promise<Omit<LoadResult, 'samples'>> {
  const dir = mkdtempSync(join(o.dir, 'messages-'));
  const mesh = await startSloMesh(dir, { nodes: o.nodes, backend: o.backend, command: o.command });
  try {
    await waitFullyConnected(mesh);
    // every ordered pair, both directions
    const pairs = mesh.nodes.flatMap((a) => mesh.nodes.filter((b) => b !== a).map((b) => ({ admin: a.admin, to: b.id })));
    const payload = 'm'.repeat(o.payloadBytes);
    const starts = intendedStarts({ count: o.messages, ratePerSecond: o.ratePerSecond, arrival: o.arrival, seed: o.seed });
    const { samples, ...figures } = await runOpenLoop(starts, o.concurrency, async (i) => {
      const p = pairs[i % pairs.length];
      const res = await fetch(`${p.admin}/send`, {
        method: 'POST',
        headers: adminHeaders(p.admin),
        body: JSON.stringify({ to: p.to, payload, timeoutMs: 10_000 }),
      });
      await res.arrayBuffer();
      return res.status === 200 ? { ok: true } : { ok: false, reason: `http_${res.status}` };
    });
    void samples;
    return figures;
  } finally {
    await mesh.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
