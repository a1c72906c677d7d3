// Chaos figures (issue 11), wall-clock on this machine, with the seed of every run:
//   1. split-brain (halves 2|3) on 5 nodes: scenario wall time (target <= 20 s), and how
//      much of it is bringing the mesh up; on the kernel driver too when it can run here
//      (root, ip netns, iptables), as a ratio to the Toxiproxy driver;
//   2. growth from 3 to 17 nodes (17 nodes = 272 proxies) on the embedded Toxiproxy in a
//      process of its own: time to full mesh, handshakes per second with every directed
//      link handshaking at once (POST /handshake), RSS per node, the proxy's CPU during
//      bring-up and while idle (heartbeats only);
//   3. every scenario once on 5 nodes: verdict, detection and convergence per nemesis, and
//      the wall time of all of them (target: 5 minutes).
//   npm run bench:chaos [-- --runs 3 --growth 3,5,9,13,17 --skip split,growth,scenarios --json out.json]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { Bench } from 'tinybench';
import { Toxiproxy } from 'toxiproxy-node-client';
import { kernelUnavailable } from '../chaos/kernel/netns.ts';
import { CHAOS_TIMERS, routeThroughProxies, runScenario, type ScenarioRun } from '../chaos/scenario/run.ts';
import { SCENARIOS, scenarioNamed } from '../chaos/scenario/scenarios.ts';
import { whileHoldingPorts } from '../chaos/scenario/hold-ports.ts';
import { Topology } from '../chaos/topology.ts';
import { loadBackend } from '../src/crypto/select.ts';
import { residentBytes, startSloMesh, triggerHandshake, waitFullyConnected, type SloMesh } from './slo/mesh.ts';
import { referenceNodeCommand } from './slo/node-command.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('runs', '3'));
const GROWTH = opt('growth', '3,5,9,13,17').split(',').map(Number);
const SKIP = new Set(opt('skip', '').split(','));
const SEED = Number(opt('seed', '1'));
const backend = await loadBackend(opt('backend', 'noble'), { logger: pino({ level: 'silent' }) });
const command = referenceNodeCommand();
const BIN = new URL('../bin/pqc-harness.mjs', import.meta.url).pathname;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const stat = (r: ScenarioRun, checker: string, key: string) =>
  r.checkers.find((c) => c.checker === checker)?.stats[key] as number | undefined;
const figures: Record<string, unknown> = {
  seed: SEED,
  runs: RUNS,
  machine: { cores: 2, loadavg: readFileSync('/proc/loadavg', 'utf8').trim() },
};

async function scenario(name: string, seed: number, driver: 'toxiproxy' | 'kernel' = 'toxiproxy', nodes?: number): Promise<ScenarioRun> {
  const dir = mkdtempSync(join(tmpdir(), `bench-chaos-${name}-`));
  try {
    return await runScenario({ spec: scenarioNamed(name), seed, nodes, command, backend, dir, driver });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Which checkers said no, per run that was not valid: a figure without its failures would read as a pass. */
const notValid = (runs: ScenarioRun[]) =>
  runs
    .filter((r) => r.verdict !== 'valid')
    .map(
      (r) =>
        `seed ${r.seed}: ${r.checkers
          .filter((c) => c.verdict !== 'valid')
          .map((c) => `${c.checker}: ${c.reason}`)
          .join('; ')}`,
    )
    .join(' | ');

/** RUNS split-brain runs on one driver through tinybench (one iteration = one whole scenario). */
async function splitBrain(driver: 'toxiproxy' | 'kernel') {
  const runs: ScenarioRun[] = [];
  const bench = new Bench({ iterations: RUNS, time: 0, warmup: false, retainSamples: true });
  bench.add(`split-brain/${driver}`, async () => {
    runs.push(await scenario('split-brain', SEED + runs.length, driver));
  });
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`split-brain/${driver}: ${result.state}`);
  return {
    driver,
    'wall median ms': Math.round(result.latency.p50),
    'mesh up median ms': median(runs.map((r) => r.meshUpMs)),
    'detect max median ms': median(runs.map((r) => stat(r, 'detection', 'maxDetectMs') ?? Number.NaN)),
    'converge median ms': median(runs.map((r) => stat(r, 'convergence', 'convergenceMs') ?? Number.NaN)),
    verdicts: runs.map((r) => r.verdict).join(' '),
    seeds: runs.map((r) => r.seed).join(' '),
    'not valid because': notValid(runs),
  };
}

/** utime + stime of a process, in seconds (/proc/<pid>/stat fields 14 and 15, clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function growthRow(n: number) {
  const child = spawn(process.execPath, [BIN, 'toxiproxy', '--port', '0'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const line = await new Promise<string>((done) => createInterface({ input: child.stdout! }).once('line', done));
  const url = /listening on (\S+)/.exec(line)![1];
  const dir = mkdtempSync(join(tmpdir(), `bench-chaos-growth-${n}-`));
  let topology: Topology | undefined;
  let m: SloMesh | undefined;
  let row: Record<string, number | string> | undefined;
  try {
    const client = new Toxiproxy(url);
    const cpu0 = cpuSeconds(child.pid!);
    const t0 = performance.now();
    m = await startSloMesh(dir, {
      nodes: n,
      backend,
      command,
      extra: { timers: CHAOS_TIMERS },
      prepare: async (specs) => {
        topology = await whileHoldingPorts(
          specs.map((x) => x.listen),
          () => Topology.create(client, specs, `growth${n}`),
        );
        routeThroughProxies(specs, topology);
      },
    });
    const readyMs = performance.now() - t0;
    await waitFullyConnected(m, 60_000 + 5_000 * n);
    const fullMs = performance.now() - t0;
    const cpuUp = cpuSeconds(child.pid!) - cpu0;
    // Every directed link handshakes at once, through its proxy.
    const h0 = performance.now();
    const nodes = m.nodes;
    const answers = await Promise.all(nodes.flatMap((a) => nodes.filter((b) => b.id !== a.id).map((b) => triggerHandshake(a.admin, b.id))));
    const hsMs = performance.now() - h0;
    const rss = await Promise.all(nodes.map((x) => residentBytes(x.pid)));
    const idle0 = cpuSeconds(child.pid!);
    await new Promise((r) => setTimeout(r, 5000));
    const idleCpu = (cpuSeconds(child.pid!) - idle0) / 5;
    row = {
      nodes: n,
      proxies: topology!.size,
      'ready ms': Math.round(readyMs),
      'full mesh ms': Math.round(fullMs),
      'handshakes ok': `${answers.filter((a) => a.ok).length}/${answers.length}`,
      'handshakes/s': Math.round(answers.filter((a) => a.ok).length / (hsMs / 1000)),
      'handshake p50 ms': Math.round(median(answers.filter((a) => a.ok).map((a) => a.latencyMs))),
      'RSS/node median MiB': Math.round(median(rss.map((b) => (b ?? 0) / 2 ** 20))),
      'proxy CPU s (bring-up)': Number(cpuUp.toFixed(2)),
      'proxy CPU % idle': Math.round(100 * idleCpu),
      'proxy RSS MiB': Math.round(((await residentBytes(child.pid!)) ?? 0) / 2 ** 20),
    };
  } catch (e) {
    // Keep the configs and node logs of a failed size for diagnosis.
    throw new Error(`growth ${n}: ${(e as Error).message} (kept ${dir})`);
  } finally {
    await m?.stop();
    await topology?.close();
    child.kill('SIGTERM');
  }
  rmSync(dir, { recursive: true, force: true });
  return row;
}

if (!SKIP.has('split')) {
  const rows = [await splitBrain('toxiproxy')];
  const why = kernelUnavailable();
  if (why) console.log(`kernel driver: skipped (${why})`);
  else rows.push(await splitBrain('kernel'));
  console.log('\n== split-brain, 5 nodes (target: wall <= 20 s) ==');
  console.table(rows);
  if (rows.length === 2)
    console.log(`kernel / toxiproxy wall ratio: ${(rows[1]['wall median ms'] / rows[0]['wall median ms']).toFixed(2)}`);
  figures.splitBrain = rows;
}

if (!SKIP.has('growth')) {
  const rows = [];
  for (const n of GROWTH) {
    rows.push(await growthRow(n).catch((e: Error) => ({ nodes: n, error: e.message })));
    console.log(JSON.stringify(rows.at(-1)));
  }
  console.log('\n== growth (embedded Toxiproxy in its own process) ==');
  console.table(rows);
  figures.growth = rows;
}

if (!SKIP.has('scenarios')) {
  const rows = [];
  const t0 = performance.now();
  for (const s of SCENARIOS) {
    const r = await scenario(s.name, SEED);
    rows.push({
      scenario: s.name,
      nemesis: s.nemesis,
      verdict: r.verdict,
      'not valid because': notValid([r]),
      'wall ms': r.wallMs,
      'detect max ms': stat(r, 'detection', 'maxDetectMs') ?? '-',
      'converge ms': stat(r, 'convergence', 'convergenceMs') ?? '-',
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
  const allMs = Math.round(performance.now() - t0);
  console.log(`\n== every scenario once, 5 nodes, seed ${SEED}: ${(allMs / 1000).toFixed(0)} s (target: 300 s) ==`);
  console.table(rows);
  figures.scenarios = { allMs, rows };
}

const json = opt('json', '');
if (json) writeFileSync(json, `${JSON.stringify(figures, null, 1)}\n`);
