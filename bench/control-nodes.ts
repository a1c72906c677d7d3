// Real-process control-plane figures for `npm run bench:control`: meshes of
// `pqc-harness node` processes (200 ms heartbeats) cut and restored with
// POST /links. Wall-clock times on this machine, polled over the admin API
// every 20 ms (the minority's detection is its own /status `since`).
import type { CryptoBackend } from '../src/crypto/backend.ts';
import { logKeys, NodeMesh, split } from '../suites/control/nodes.ts';

export interface NodeRow {
  nodes: number;
  'detect minority ms': number;
  'detect majority ms (polled)': number;
  'detect / heartbeat': string;
  'converge ms': number;
  'relays per critical event': number;
  'relays per broadcast': string;
  'bound 2N': number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function relaysSent(m: NodeMesh): Promise<number> {
  const all = await Promise.all(m.ids.map((id) => m.status(id)));
  // Digests are periodic anti-entropy, not part of an event.
  return all.reduce((a, s) => a + s.control.sent.relays - (s.control.sent.byType.digest ?? 0), 0);
}

export async function measureNodes(n: number, issuer: CryptoBackend, heartbeatMs: number): Promise<NodeRow> {
  const m = await NodeMesh.start({ size: n, issuer, heartbeatMs });
  try {
    // One critical event on a quiet, connected mesh: every relay it causes (proposal, N votes, commit).
    const before = await relaysSent(m);
    const id = await m.propose('node-1', 'policy', 'quiet');
    await m.waitUntil(
      async () => (await Promise.all(m.ids.map((x) => m.log(x)))).every((l) => l.entries.some((e) => e.proposalId === id)),
      10_000,
      20,
    );
    await sleep(heartbeatMs);
    const perEvent = (await relaysSent(m)) - before;
    const cut = await split(m);
    await m.propose(cut.minority[0], 'policy', 'left');
    await m.propose(cut.majority[0], 'policy', 'right');
    await sleep(5 * heartbeatMs);
    const healAt = await m.links(cut.minority, cut.majority, true);
    await m.waitUntil(
      async () => {
        const keys = [...(await logKeys(m)).values()];
        return new Set(keys).size === 1 && keys[0].split(',').length === 3;
      },
      20_000,
      20,
    );
    const convergeMs = Date.now() - healAt;
    const detect = Math.max(cut.minorityDetectionMs ?? Number.NaN, cut.majorityDetectionMs ?? Number.NaN);
    return {
      nodes: n,
      'detect minority ms': cut.minorityDetectionMs ?? Number.NaN,
      'detect majority ms (polled)': cut.majorityDetectionMs ?? Number.NaN,
      'detect / heartbeat': (detect / heartbeatMs).toFixed(2),
      'converge ms': convergeMs,
      'relays per critical event': perEvent,
      'relays per broadcast': (perEvent / (n + 2)).toFixed(1),
      'bound 2N': 2 * n,
    };
  } finally {
    await m.stop();
  }
}
