// `pqc-harness bench`: the SLO load (`bench slo`, the default) and the scale
// series (`bench scale`), with --json to save figures and --compare to check
// them against a baseline. src/cli.ts calls registerBenchCommand(program).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomInt } from 'node:crypto';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadBackend } from '../../src/crypto/select.ts';
import { compareBench, formatComparison, readBenchFile, type BenchFile, type Figure } from './baseline.ts';
import { pressureCpuOf } from './cpu-pressure.ts';
import { addRunFigures, addValue, benchFile } from './figures.ts';
import { parseNodeCommand, referenceNodeCommand } from './node-command.ts';
import { runMessageLoad } from './messages.ts';
import { runSlo, writeSloRun, type SloRunOptions, type SloRunResult } from './run.ts';
import type { Arrival } from './schedule.ts';
import { SLO_SIZES } from './targets.ts';

const sizeText = (p: 'pr' | 'release') => `${p} ${SLO_SIZES[p].handshakes.toLocaleString('en-US')} at ${SLO_SIZES[p].ratePerSecond}/s`;

function positiveInt(what: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer`);
    return n;
  };
}
function positiveNumber(what: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${what} must be a positive number`);
    return n;
  };
}
function intList(what: string) {
  return (v: string): number[] => v.split(',').map((x) => positiveInt(what)(x.trim()));
}

interface CommonFlags {
  out: string;
  seed?: number;
  nodeCommand?: string;
  backend: string;
  prometheus: boolean;
  repeat: number;
  json?: string;
  compare?: string;
  ci: boolean;
}

function commonOptions(c: Command): Command {
  return c
    .option('--seed <n>', 'seed of the Poisson schedule and the bootstrap (default random, printed)', (v) => Number.parseInt(v, 10))
    .option('--node-command <template>', 'command starting one node, with {config} (default: the reference node)')
    .option('--backend <name>', 'backend issuing the mesh CA and certificates', 'auto')
    .option('--no-prometheus', 'skip the real Prometheus (only two measurements)')
    .option('--repeat <n>', 'runs per configuration; baselines need >= 2 for a noise-aware threshold', positiveInt('--repeat'), 1)
    .option('--json <file>', 'save the figures (a baseline)')
    .option('--compare <baseline>', 'print ratios against a saved baseline and flag regressions')
    .option('--ci', 'exit 1 on a regression or a failed verdict (default when $CI is set)', Boolean(process.env.CI));
}

function report(label: string, r: SloRunResult): string {
  const l = r.load.latency;
  const v = (x: { successRate: string; p95: string; fallbackRate: string } | undefined) =>
    x ? `${x.successRate}/${x.p95}/${x.fallbackRate}` : 'n/a';
  return (
    `${label.padEnd(16)} p50 ${l.p50.toFixed(1).padStart(7)}  p95 ${l.p95.toFixed(1).padStart(7)}  p99 ${l.p99.toFixed(1).padStart(7)} ms  ` +
    `success ${(r.load.successRate * 100).toFixed(2)}%  late ${r.load.lateStarts}  ` +
    `verdicts (success/p95/fallback) gen ${v(r.generator.verdicts)} nodes ${v(r.nodes.verdicts)} prom ${v(r.prometheus?.verdicts)}  ` +
    `agree ${r.agreement.agree ? 'yes' : `NO: ${r.agreement.problems.join('; ')}`}`
  );
}

async function finish(f: CommonFlags, file: BenchFile, failedVerdicts: number): Promise<void> {
  if (f.json) {
    writeFileSync(resolve(f.json), `${JSON.stringify(file, null, 2)}\n`);
    process.stdout.write(`figures: ${resolve(f.json)}\n`);
  }
  let regressions = 0;
  if (f.compare) {
    const baseline = readBenchFile(readFileSync(resolve(f.compare), 'utf8'), f.compare);
    const rows = compareBench(baseline, file);
    regressions = rows.filter((r) => r.regression).length;
    process.stdout.write(`\ncompared with ${f.compare}:\n${formatComparison(rows)}\n${regressions} regression(s)\n`);
  }
  if (f.ci && (regressions > 0 || failedVerdicts > 0)) process.exitCode = 1;
}

function verdictFailures(r: SloRunResult): number {
  const g = r.generator.verdicts;
  return [g.successRate, g.p95, g.fallbackRate].filter((v) => v !== 'pass').length + (r.agreement.agree ? 0 : 1);
}

export function registerBenchCommand(program: Command): void {
  const bench = program.command('bench').description('measure the SLO on a mesh of node processes; save and compare baselines');

  commonOptions(
    bench
      .command('slo', { isDefault: true })
      .description('open-loop handshake load, three measurements (generator, node histograms, real Prometheus), SLO verdicts')
      .option('-o, --out <dir>', 'output directory', join('reports', 'slo'))
      .addOption(
        new Option('-p, --profile <profile>', `load size: ${sizeText('pr')}, ${sizeText('release')}`)
          .choices(['pr', 'release'])
          .default('pr'),
      )
      .option('--handshakes <n>', 'handshakes per run (overrides the profile)', positiveInt('--handshakes'))
      .option('--rate <n>', 'handshakes per second (overrides the profile)', positiveNumber('--rate'))
      .option('--concurrency <list>', 'lanes, comma-separated levels', intList('--concurrency'), [1, 8, 32])
      .option('--nodes <n>', 'mesh size', positiveInt('--nodes'), 3)
      .addOption(
        new Option('--arrival <kind>', 'constant rate or Poisson from the seed').choices(['constant', 'poisson']).default('poisson'),
      )
      .option('--latency <ms>', 'latency toxic on every link, each direction (Toxiproxy)', positiveInt('--latency'))
      .option('--jitter <ms>', 'jitter of the latency toxic', (v) => Number.parseInt(v, 10), 0)
      .option('--cpu-pressure', 'pin the first node and a busy loop to the same core'),
  ).action(
    async (
      f: CommonFlags & {
        profile: 'pr' | 'release';
        handshakes?: number;
        rate?: number;
        concurrency: number[];
        nodes: number;
        arrival: Arrival;
        latency?: number;
        jitter: number;
        cpuPressure?: boolean;
      },
    ) => {
      const seed = f.seed ?? randomInt(2 ** 31);
      const command = f.nodeCommand ? parseNodeCommand(f.nodeCommand) : referenceNodeCommand();
      const backend = await loadBackend(f.backend);
      const handshakes = f.handshakes ?? SLO_SIZES[f.profile].handshakes;
      const rate = f.rate ?? SLO_SIZES[f.profile].ratePerSecond;
      const toxics = f.latency !== undefined ? { latencyMs: f.latency, jitterMs: f.jitter } : undefined;
      const suffix = `${toxics ? `+lat${toxics.latencyMs}j${toxics.jitterMs}` : ''}${f.cpuPressure ? '+cpu' : ''}`;
      process.stderr.write(
        `bench slo: ${handshakes} handshakes at ${rate}/s, ${f.arrival}, concurrency ${f.concurrency.join(',')}, seed ${seed}, node command: ${command.text}\n`,
      );
      const figures: Record<string, Figure> = {};
      let failed = 0;
      for (const c of f.concurrency) {
        for (let r = 0; r < f.repeat; r++) {
          const label = `c${c}${suffix}`;
          const dir = resolve(f.out, f.repeat > 1 ? `${label}-run${r + 1}` : label);
          const options: SloRunOptions = {
            dir,
            nodes: f.nodes,
            handshakes,
            ratePerSecond: rate,
            concurrency: c,
            arrival: f.arrival,
            seed: seed + r,
            command,
            backend,
            prometheus: f.prometheus,
            ...(toxics ? { toxics } : {}),
          };
          let stopPressure: (() => Promise<void>) | undefined;
          if (f.cpuPressure)
            options.beforeLoad = async (mesh) => {
              stopPressure = (await pressureCpuOf(mesh.nodes[0].pid)).stop;
            };
          const run = await runSlo(options).finally(() => stopPressure?.());
          writeSloRun(dir, run);
          addRunFigures(figures, label, run.result);
          failed += verdictFailures(run.result);
          process.stdout.write(`${report(label, run.result)}\n`);
        }
      }
      process.stdout.write(`three measurements and verdicts: ${resolve(f.out)}/<run>/{generator,nodes,prometheus,verdicts}.json\n`);
      await finish(
        f,
        benchFile(
          { command: command.text, handshakes, rate, arrival: f.arrival, seed, nodes: f.nodes, toxics, cpuPressure: !!f.cpuPressure },
          figures,
        ),
        failed,
      );
    },
  );

  commonOptions(
    bench
      .command('messages')
      .description('open-loop application messages over established sessions (POST /send, answered after the ACK)')
      .option('-o, --out <dir>', 'working directory', join('reports', 'messages'))
      .option('--messages <n>', 'messages per run', positiveInt('--messages'), 1000)
      .option('--rate <n>', 'messages per second', positiveNumber('--rate'), 200)
      .option('--concurrency <list>', 'lanes, comma-separated levels', intList('--concurrency'), [1, 8, 32])
      .option('--payload <bytes>', 'payload size', positiveInt('--payload'), 256),
  ).action(async (f: CommonFlags & { messages: number; rate: number; concurrency: number[]; payload: number }) => {
    const seed = f.seed ?? randomInt(2 ** 31);
    const command = f.nodeCommand ? parseNodeCommand(f.nodeCommand) : referenceNodeCommand();
    const backend = await loadBackend(f.backend);
    const figures: Record<string, Figure> = {};
    mkdirSync(resolve(f.out), { recursive: true });
    for (const c of f.concurrency) {
      for (let r = 0; r < f.repeat; r++) {
        const load = await runMessageLoad({
          dir: resolve(f.out),
          nodes: 3,
          messages: f.messages,
          ratePerSecond: f.rate,
          concurrency: c,
          arrival: 'poisson',
          seed: seed + r,
          payloadBytes: f.payload,
          command,
          backend,
        });
        const l = load.latency;
        addValue(figures, `msg-c${c}.p50`, 'ms', 'lower', l.p50);
        addValue(figures, `msg-c${c}.p95`, 'ms', 'lower', l.p95);
        addValue(figures, `msg-c${c}.p99`, 'ms', 'lower', l.p99);
        addValue(figures, `msg-c${c}.successRate`, 'ratio', 'higher', load.successRate);
        process.stdout.write(
          `msg c${String(c).padEnd(4)} p50 ${l.p50.toFixed(2)}  p95 ${l.p95.toFixed(2)}  p99 ${l.p99.toFixed(2)} ms  delivered ${(load.successRate * 100).toFixed(2)}%  late ${load.lateStarts}\n`,
        );
      }
    }
    await finish(f, benchFile({ command: command.text, messages: f.messages, rate: f.rate, payload: f.payload, seed }, figures), 0);
  });

  commonOptions(
    bench
      .command('scale')
      .description('time to full mesh, sustained handshakes per second, memory per node and p95 under load, by mesh size')
      .option('-o, --out <dir>', 'output directory', join('reports', 'scale'))
      .option('--sizes <list>', 'mesh sizes', intList('--sizes'), [3, 5, 9, 17])
      .option('--handshakes <n>', 'handshakes per load', positiveInt('--handshakes'), 300)
      .option('--rate <n>', 'offered rate of the p95 load, per second', positiveNumber('--rate'), 30)
      .option('--saturate-rate <n>', 'offered rate of the throughput load (above capacity)', positiveNumber('--saturate-rate'), 1000),
  ).action(async (f: CommonFlags & { sizes: number[]; handshakes: number; rate: number; saturateRate: number }) => {
    const seed = f.seed ?? randomInt(2 ** 31);
    const command = f.nodeCommand ? parseNodeCommand(f.nodeCommand) : referenceNodeCommand();
    const backend = await loadBackend(f.backend);
    const figures: Record<string, Figure> = {};
    process.stdout.write('nodes  full mesh ms  sustained hs/s  MiB/node  p95 ms (at rate)  p95 ms (saturated)\n');
    for (const n of f.sizes) {
      for (let r = 0; r < f.repeat; r++) {
        const base = {
          nodes: n,
          handshakes: f.handshakes,
          arrival: 'poisson' as const,
          seed: seed + r,
          command,
          backend,
          prometheus: false,
        };
        let steady: Awaited<ReturnType<typeof runSlo>>;
        let saturated: Awaited<ReturnType<typeof runSlo>>;
        try {
          steady = await runSlo({ ...base, dir: resolve(f.out, `n${n}-steady`), ratePerSecond: f.rate, concurrency: 8 });
          saturated = await runSlo({ ...base, dir: resolve(f.out, `n${n}-saturated`), ratePerSecond: f.saturateRate, concurrency: 32 });
        } catch (e) {
          // One size that cannot start (too few cores, ports) leaves the others' figures standing.
          process.stdout.write(`${String(n).padStart(5)}  did not run: ${(e as Error).message}\n`);
          continue;
        }
        writeSloRun(resolve(f.out, `n${n}-steady`), steady);
        const mem = Object.values(saturated.result.memoryPerNodeBytes).filter((v): v is number => v !== undefined);
        const mib = mem.length ? mem.reduce((a, b) => a + b, 0) / mem.length / 2 ** 20 : Number.NaN;
        // Completions per second while the offered load exceeds capacity: what the mesh sustains.
        const sustained = saturated.result.load.succeeded / (saturated.result.load.durationMs / 1000);
        addValue(figures, `n${n}.timeToFullMesh`, 'ms', 'lower', steady.result.timeToFullMeshMs);
        addValue(figures, `n${n}.sustainedHandshakesPerSecond`, 'hs/s', 'higher', sustained);
        addValue(figures, `n${n}.memoryPerNode`, 'MiB', 'lower', mib);
        addValue(figures, `n${n}.p95`, 'ms', 'lower', steady.result.load.latency.p95);
        process.stdout.write(
          `${String(n).padStart(5)}  ${steady.result.timeToFullMeshMs.toFixed(0).padStart(12)}  ${sustained.toFixed(1).padStart(14)}  ${mib.toFixed(0).padStart(8)}  ${steady.result.load.latency.p95.toFixed(1).padStart(16)}  ${saturated.result.load.latency.p95.toFixed(1).padStart(18)}\n`,
        );
      }
    }
    await finish(f, benchFile({ command: command.text, sizes: f.sizes, handshakes: f.handshakes, rate: f.rate, seed }, figures), 0);
  });
}
