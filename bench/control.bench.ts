// Control-plane figures on simulated members (suites/control/cluster.ts):
// partition-to-detection and heal-to-convergence for 3, 5 and 9 nodes with
// 200 ms heartbeats, and gossip relays per event (msgs-per-op). The protocol
// figures are SIMULATED time (manual clock, 1-5 ms links), so they measure
// the protocol, not this machine; the wall cost of one critical event (every
// ML-DSA-65 sign and verify it needs, in process) is timed with tinybench.
// Then the same figures on real node processes (bench/control-nodes.ts):
// wall-clock, cut and restored with POST /links (`--no-nodes` skips them).
//   npm run bench:control [-- --runs 5 --backend liboqs --json out.json --no-nodes]
import { writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { Bench } from 'tinybench';
import { loadBackend } from '../src/crypto/select.ts';
import { Cluster } from '../suites/control/cluster.ts';
import { measureNodes, type NodeRow } from './control-nodes.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('runs', '5'));
const HEARTBEAT_MS = 200;
const backend = await loadBackend(opt('backend', 'liboqs'), { logger: pino({ level: 'silent' }) });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

interface Row {
  nodes: number;
  'detect median ms': number;
  'detect max ms': number;
  'detect max / heartbeat': string;
  'converge median ms': number;
  'converge max ms': number;
  'relays per broadcast (max)': number;
  'relays per critical event': number;
  'bound 2N': number;
}

function measure(n: number): Row {
  const detect: number[] = [];
  const converge: number[] = [];
  let perBroadcast = 0;
  let perEvent = 0;
  for (let run = 0; run < RUNS; run++) {
    const c = new Cluster({ size: n, backend, seed: 1000 * n + run, heartbeatMs: HEARTBEAT_MS });
    c.run(3 * HEARTBEAT_MS);
    // One critical event on a quiet, connected mesh: every relay it causes.
    const before = c.sendsByMessage.size;
    c.propose('node-1', 'policy', `quiet-${run}`);
    c.run(2 * HEARTBEAT_MS);
    const relays = [...c.sendsByMessage.values()].slice(before).filter((m) => m.type !== 'digest');
    perEvent = Math.max(
      perEvent,
      relays.reduce((a, m) => a + m.sends, 0),
    );
    // Halves: the smaller half is the minority.
    const minority = c.ids.slice(0, Math.floor((n - 1) / 2));
    const majority = c.ids.filter((x) => !minority.includes(x));
    // Cut at a random phase of the heartbeat, so detection is measured from any point in the interval.
    c.run(1 + ((run * 37) % (HEARTBEAT_MS - 1)));
    c.partition([minority, majority]);
    const cutAt = c.clock.now();
    const seen = () =>
      minority.every((x) => c.node(x).status().membership.partition === 'minority') &&
      majority.every((x) => c.node(x).status().membership.reachable.length === majority.length);
    while (!seen() && c.clock.now() - cutAt < 20 * HEARTBEAT_MS) c.run(1);
    detect.push(c.clock.now() - cutAt);
    c.propose(minority[0], 'policy', `left-${run}`);
    c.propose(majority[0], 'policy', `right-${run}`);
    c.run(5 * HEARTBEAT_MS);
    c.run(1 + ((run * 53) % (HEARTBEAT_MS - 1)));
    c.heal();
    const healAt = c.clock.now();
    const same = () => {
      const logs = c.ids.map((x) =>
        JSON.stringify(
          c
            .node(x)
            .logView()
            .entries.map((e) => e.eventHash),
        ),
      );
      return new Set(logs).size === 1 && c.node('node-1').logView().entries.length === 3;
    };
    while (!same() && c.clock.now() - healAt < 50 * HEARTBEAT_MS) c.run(1);
    converge.push(c.clock.now() - healAt);
    for (const m of c.sendsByMessage.values())
      if (m.type !== 'merge-request' && m.type !== 'merge-response') perBroadcast = Math.max(perBroadcast, m.sends);
  }
  return {
    nodes: n,
    'detect median ms': median(detect),
    'detect max ms': Math.max(...detect),
    'detect max / heartbeat': (Math.max(...detect) / HEARTBEAT_MS).toFixed(2),
    'converge median ms': median(converge),
    'converge max ms': Math.max(...converge),
    'relays per broadcast (max)': perBroadcast,
    'relays per critical event': perEvent,
    'bound 2N': 2 * n,
  };
}

const rows = [3, 5, 9].map(measure);
console.log(`simulated time, ${HEARTBEAT_MS} ms heartbeats, ${RUNS} runs per size, backend ${backend.name}`);
console.table(rows);

// Wall cost of one critical event at 5 nodes: propose, every vote signed and verified, commit everywhere.
const wall = new Bench({ time: 2000, warmupTime: 200 });
let k = 0;
const warm = new Cluster({ size: 5, backend, seed: 1, heartbeatMs: HEARTBEAT_MS });
warm.run(3 * HEARTBEAT_MS);
wall.add('one critical event, 5 nodes (wall)', () => {
  warm.propose('node-1', 'policy', `wall-${k++}`);
  warm.run(50);
});
await wall.run();
const r = wall.tasks[0].result as { latency?: { p50?: number } } | undefined;
console.table([{ task: wall.tasks[0].name, 'median ms': r?.latency?.p50?.toFixed(1), samples: k }]);

const targets = rows.map((x) => ({
  nodes: x.nodes,
  'detect <= 3 intervals': x['detect max ms'] <= 3 * HEARTBEAT_MS,
  'converge <= 2 s': x['converge max ms'] <= 2000,
  'relays per broadcast <= 2N': x['relays per broadcast (max)'] <= 2 * x.nodes,
}));
console.table(targets);

const nodeRows: NodeRow[] = [];
if (!args.includes('--no-nodes')) {
  for (const n of [3, 5, 9]) {
    try {
      nodeRows.push(await measureNodes(n, backend, HEARTBEAT_MS));
      console.log(JSON.stringify(nodeRows.at(-1)));
    } catch (e) {
      console.error(`real-process run of ${n} nodes failed: ${(e as Error).message}`);
    }
  }
  console.log(`real node processes (auto backend), ${HEARTBEAT_MS} ms heartbeats, wall clock on this machine`);
  console.table(nodeRows);
  console.table(
    nodeRows.map((x) => ({
      nodes: x.nodes,
      'detect <= 3 intervals': Math.max(x['detect minority ms'], x['detect majority ms (polled)']) <= 3 * HEARTBEAT_MS,
      'converge <= 2 s': x['converge ms'] <= 2000,
      'relays per broadcast <= 2N': Number(x['relays per broadcast']) <= 2 * x.nodes,
    })),
  );
}
const out = opt('json', '');
if (out)
  writeFileSync(
    out,
    JSON.stringify(
      { heartbeatMs: HEARTBEAT_MS, runs: RUNS, backend: backend.name, rows, wallMedianMs: r?.latency?.p50, targets, nodeRows },
      null,
      2,
    ),
  );
