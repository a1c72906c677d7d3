// A real Prometheus (the Debian `prometheus` binary) started on loopback with
// a generated config that scrapes every node's admin /metrics, and a client
// for its HTTP query API (GET /api/v1/query).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePorts } from '../../src/mesh/node/launcher.ts';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';

/** The version line of the binary, or undefined when it is not installed. */
export function prometheusVersion(bin = PROMETHEUS_BIN): string | undefined {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return `${r.stdout}${r.stderr}`.split('\n')[0].trim();
}

export interface ScrapeTarget {
  /** Becomes the `node` label. */
  id: string;
  /** The node's admin base URL, http://127.0.0.1:PORT */
  admin: string;
}

export interface PrometheusServer {
  url: string;
  configFile: string;
  query(promql: string, atSeconds?: number): Promise<VectorSample[]>;
  /** Resolves once every target has been scraped successfully at least `scrapes` times. */
  waitForScrapes(scrapes: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

function configFor(targets: readonly ScrapeTarget[], intervalSeconds: number): string {
  return stringify({
    // Prometheus durations take no fractions ("0.5s" is refused): write milliseconds.
    global: { scrape_interval: `${Math.round(intervalSeconds * 1000)}ms`, evaluation_interval: `${Math.round(intervalSeconds * 1000)}ms` },
    scrape_configs: targets.map((t) => ({
      job_name: `pqc-${t.id}`,
      metrics_path: '/metrics',
      static_configs: [{ targets: [new URL(t.admin).host], labels: { node: t.id } }],
    })),
  });
}

/**
 * Prometheus does not exit with its parent: when the harness is killed (a test
 * runner's timeout, kill -9) it would keep running. A detached shell polls the
 * harness once a second and stops Prometheus when the harness is gone.
 */
function guardChild(child: ChildProcess): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -TERM ${child.pid} 2>/dev/null; sleep 5; kill -KILL ${child.pid} 2>/dev/null`;
  const guard = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  guard.unref();
  return guard;
}

export async function startPrometheus(dir: string, targets: readonly ScrapeTarget[], intervalSeconds = 1): Promise<PrometheusServer> {
  for (const t of targets) {
    const host = new URL(t.admin).hostname;
    if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== 'localhost') throw new Error(`scrape target ${t.id} ${t.admin} is not on loopback`);
  }
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configFor(targets, intervalSeconds));
  const [port] = await freePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(join(dir, 'prometheus.log'), 'a');
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const guard = guardChild(child);
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      guard.kill();
      r(code);
    }),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  const deadline = performance.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with code ${child.exitCode} (log: ${join(dir, 'prometheus.log')})`);
    try {
      if ((await fetch(`${url}/-/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready within 20 s (log: ${join(dir, 'prometheus.log')})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const query = async (promql: string, atSeconds?: number): Promise<VectorSample[]> => {
    const params = new URLSearchParams({ query: promql });
    if (atSeconds !== undefined) params.set('time', atSeconds.toFixed(3));
    const res = await fetch(`${url}/api/v1/query?${params}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success' || !body.data) throw new Error(`prometheus query ${promql} failed: ${body.error ?? res.status}`);
    if (body.data.resultType !== 'vector') throw new Error(`prometheus query ${promql} answered a ${body.data.resultType}, not a vector`);
    return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  };

  const waitForScrapes = async (scrapes: number, timeoutMs = 30_000) => {
    const until = performance.now() + timeoutMs;
    // count_over_time(up[..]) counts scrapes per target; every one must be up.
    for (;;) {
      const counts = await query(`sum_over_time(up[1h])`);
      if (counts.length === targets.length && counts.every((c) => c.value >= scrapes)) return;
      if (performance.now() > until) throw new Error(`prometheus did not scrape every node ${scrapes} times within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  return { url, configFile, query, waitForScrapes, stop };
}
