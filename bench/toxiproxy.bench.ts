// Overhead of the embedded Toxiproxy with no toxics, against a direct
// connection in the same run (the machine is noisy, so only within-run
// comparisons mean anything). Direct and proxied tasks are interleaved in
// alternating rounds. Two placements of the proxy are measured:
//   child  - its own process, as a real Toxiproxy or `pqc-harness toxiproxy` runs
//   inproc - inside the benchmark process, as tests use the library call
// Run: npx tsx bench/toxiproxy.bench.ts [--rounds N] [--mode child|inproc|both] [--bulk-mib M]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startToxiproxyServer } from '../chaos/toxiproxy/index.ts';
import { Probe, portOf, startEchoServer } from '../test/support/toxiproxy.ts';

const REQUEST = Buffer.from('0123456789abcdef'); // 16 bytes
/** Large enough that one transfer takes ~100 ms, far above timer and scheduling noise. */
const BULK_BYTES = Number(arg('bulk-mib', '64')) << 20;
const BULK_CHUNK = Buffer.alloc(64 << 10, 0x5a);

interface Proxied {
  url: string;
  stop(): Promise<void>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Child-process mode: serve the API and report the URL to the parent. */
async function serveForParent(): Promise<void> {
  const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
  process.send?.({ url: server.url });
  process.on('message', () => {
    void server.close().then(() => process.exit(0));
  });
}

async function startChild(): Promise<Proxied> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

async function startInProcess(): Promise<Proxied> {
  const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
  return { url: server.url, stop: () => server.close() };
}

/** Echoes BULK_BYTES through the probe: write in 64 KiB chunks, wait until all came back. */
async function bulk(probe: Probe): Promise<void> {
  const target = probe.received + BULK_BYTES;
  // Drop what we keep of received chunks: only the byte count matters here.
  probe.chunks.length = 0;
  for (let sent = 0; sent < BULK_BYTES; sent += BULK_CHUNK.length) {
    if (!probe.socket.write(BULK_CHUNK)) await new Promise((r) => probe.socket.once('drain', r));
  }
  await probe.bytes(target, 30_000);
  probe.chunks.length = 0;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

type Side = 'direct' | 'proxied';

interface Rounds {
  /** Every sample of every round (ms per iteration). */
  samples: Record<Side, number[]>;
  /** proxied/direct median of each round: drift between rounds cancels out. */
  ratios: number[];
  /** proxied - direct median of each round (ms). */
  deltas: number[];
}

async function runRounds(rounds: number, timeMs: number, tasks: Record<Side, () => Promise<void>>): Promise<Rounds> {
  const out: Rounds = { samples: { direct: [], proxied: [] }, ratios: [], deltas: [] };
  for (let round = 0; round < rounds; round += 1) {
    // Alternate which goes first so drift on the machine hits both alike.
    const order: readonly Side[] = round % 2 === 0 ? ['direct', 'proxied'] : ['proxied', 'direct'];
    const bench = new Bench({ time: timeMs, iterations: 5, warmup: true, warmupTime: 30, warmupIterations: 5, retainSamples: true });
    for (const name of order) bench.add(name, tasks[name]);
    await bench.run();
    const median: Partial<Record<Side, number>> = {};
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
      out.samples[task.name as Side].push(...(result.latency.samples ?? []));
      median[task.name as Side] = result.latency.p50;
    }
    out.ratios.push((median.proxied ?? 0) / (median.direct ?? 1));
    out.deltas.push((median.proxied ?? 0) - (median.direct ?? 0));
  }
  return out;
}

async function measure(mode: 'child' | 'inproc', rounds: number): Promise<void> {
  const echo = await startEchoServer();
  const proxied = mode === 'child' ? await startChild() : await startInProcess();
  try {
    const client = new Toxiproxy(proxied.url);
    const proxy = await client.createProxy({ name: 'bench', listen: '127.0.0.1:0', upstream: echo.address });
    const direct = await Probe.connect(echo.port);
    const through = await Probe.connect(portOf(proxy.listen));

    const rtt = await runRounds(rounds, 150, {
      direct: () => direct.roundTrip(REQUEST).then(() => undefined),
      proxied: () => through.roundTrip(REQUEST).then(() => undefined),
    });
    const tput = await runRounds(rounds, 250, { direct: () => bulk(direct), proxied: () => bulk(through) });

    const sorted = (a: number[]): number[] => [...a].sort((x, y) => x - y);
    const us = (ms: number): string => `${(ms * 1000).toFixed(0)} µs`;
    const d = sorted(rtt.samples.direct);
    const p = sorted(rtt.samples.proxied);
    const mbps = (ms: number): number => BULK_BYTES / 1e6 / (ms / 1000);
    const bulkDirect = mbps(quantile(sorted(tput.samples.direct), 0.5));
    const bulkProxied = mbps(quantile(sorted(tput.samples.proxied), 0.5));
    const perRound = quantile(sorted(tput.ratios.map((r) => 1 / r)), 0.5);
    console.log(`\n== proxy in ${mode === 'child' ? 'a child process' : 'the benchmark process'} (${rounds} interleaved rounds) ==`);
    console.log(`16-byte round trip (${d.length} direct / ${p.length} proxied samples)`);
    console.log(`  direct   p50 ${us(quantile(d, 0.5))}  p99 ${us(quantile(d, 0.99))}`);
    console.log(`  proxied  p50 ${us(quantile(p, 0.5))}  p99 ${us(quantile(p, 0.99))}`);
    console.log(`  added    p50 ${us(quantile(p, 0.5) - quantile(d, 0.5))}  p99 ${us(quantile(p, 0.99) - quantile(d, 0.99))}`);
    console.log(`  added p50, median of per-round differences: ${us(quantile(sorted(rtt.deltas), 0.5))}`);
    console.log(`bulk echo of ${BULK_BYTES >> 20} MiB (${tput.samples.direct.length} direct / ${tput.samples.proxied.length} proxied)`);
    console.log(`  direct   ${bulkDirect.toFixed(0)} MB/s (median)`);
    console.log(`  proxied  ${bulkProxied.toFixed(0)} MB/s (median)`);
    console.log(
      `  ratio    ${((100 * bulkProxied) / bulkDirect).toFixed(0)} % of direct; median of per-round ratios ${(100 * perRound).toFixed(0)} %`,
    );
    direct.destroy();
    through.destroy();
  } finally {
    await proxied.stop();
    await echo.close();
  }
}

if (process.argv.includes('--serve')) {
  await serveForParent();
} else {
  const rounds = Number(arg('rounds', '12'));
  const mode = arg('mode', 'both');
  if (mode === 'child' || mode === 'both') await measure('child', rounds);
  if (mode === 'inproc' || mode === 'both') await measure('inproc', rounds);
}
