// One SLO run: start a mesh with the node command, let a real Prometheus
// scrape it, drive an open-loop handshake load through the admin API, scrape
// before and after, and put the three measurements side by side.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { ConfigError } from '../../src/errors.ts';
import { freePorts, type MeshNodeSpec } from '../../src/mesh/node/launcher.ts';
import {
  agreement,
  measureGenerator,
  measureNodes,
  measurePrometheus,
  type Agreement,
  type GeneratorMeasurement,
  type NodesMeasurement,
  type PrometheusMeasurement,
} from './measure.ts';
import { pinAdminPorts, residentBytes, scrape, startSloMesh, triggerHandshake, waitFullyConnected, type SloMesh } from './mesh.ts';
import type { NodeCommandTemplate } from './node-command.ts';
import { runOpenLoop, type LoadResult } from './open-loop.ts';
import { prometheusVersion, startPrometheus, type PrometheusServer } from './prometheus.ts';
import { intendedStarts, type Arrival } from './schedule.ts';
import { routeThroughToxiproxy, type LinkToxics, type ToxicLinks } from './toxics.ts';
import { PROMQL } from './targets.ts';

export interface SloRunOptions {
  dir: string;
  nodes: number;
  handshakes: number;
  ratePerSecond: number;
  concurrency: number;
  arrival: Arrival;
  seed: number;
  command: NodeCommandTemplate;
  /** Issues the mesh's CA and node certificates. */
  backend: CryptoBackend;
  /** Run the real Prometheus (measurement 3); without it only two measurements are compared. */
  prometheus: boolean;
  scrapeIntervalSeconds?: number;
  env?: NodeJS.ProcessEnv;
  /** Extra node config (e.g. peer addresses through proxies). */
  extra?: Record<string, unknown>;
  /** Latency+jitter toxics on every link (through Toxiproxy). */
  toxics?: LinkToxics;
  /** Called with the running mesh before the load (e.g. to put one node under CPU pressure). */
  beforeLoad?: (mesh: SloMesh) => Promise<void>;
}

export interface SloRunResult {
  settings: Omit<SloRunOptions, 'command' | 'backend' | 'beforeLoad' | 'env' | 'extra' | 'dir'> & { command: string; backend: string };
  timeToFullMeshMs: number;
  /**
   * Where the run's wall time went, ms: starting the nodes, until full mesh and Prometheus scraping,
   * the prepared mesh waiting for the load's turn (beside other checks), the load, the last scrapes.
   * A mesh prepared ahead polls for readiness between its worker's other checks, so its start and
   * ready phases are longer than the mesh took: they measure nothing the SLO judges.
   */
  phasesMs: { start: number; ready: number; waited: number; load: number; drain: number };
  memoryPerNodeBytes: Record<string, number | undefined>;
  load: Omit<LoadResult, 'samples'>;
  generator: GeneratorMeasurement;
  nodes: NodesMeasurement;
  prometheus?: PrometheusMeasurement;
  prometheusSkipped?: string;
  agreement: Agreement;
  /** The mesh was started by the checks' prepare step, beside other checks, before the load's turn (suites/slo). */
  preparedAhead?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ordered pairs (smaller id dials, as in the mesh), round robin over the load. */
function pairsOf(mesh: SloMesh): { admin: string; peer: string }[] {
  const ids = mesh.nodes.map((n) => n.id).sort();
  const byId = new Map(mesh.nodes.map((n) => [n.id, n]));
  const out: { admin: string; peer: string }[] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) out.push({ admin: byId.get(ids[i])!.admin, peer: ids[j] });
  return out;
}

async function scrapeAll(mesh: SloMesh): Promise<Record<string, string>> {
  const entries = await Promise.all(mesh.nodes.map(async (n) => [n.id, await scrape(n.admin)] as const));
  return Object.fromEntries(entries);
}

async function queryAll(prom: PrometheusServer, version: string): Promise<PrometheusMeasurement> {
  const [successRate, p95, p95AllNodes, fallback] = await Promise.all([
    prom.query(PROMQL.successRate),
    prom.query(PROMQL.p95),
    prom.query(PROMQL.p95AllNodes),
    prom.query(PROMQL.fallback),
  ]);
  return measurePrometheus(version, { ...PROMQL }, { successRate, p95, p95AllNodes, fallback });
}

// A quarter second: the two scrapes after the load (every node's last sample from after it) cost 0.7 s, not 2.2;
// 3 nodes scraped 4 times a second cost Prometheus and the nodes a few ms of CPU each second.
const scrapeInterval = (o: SloRunOptions) => o.scrapeIntervalSeconds ?? 0.25;

/**
 * A run's mesh and Prometheus, started, fully connected and scraped twice,
 * with no load yet. Preparing measures nothing, so it may run beside other
 * work (the pool prepares the SLO checks' mesh while short checks finish);
 * the load is what runs alone.
 */
export interface PreparedSlo {
  readonly options: SloRunOptions;
  readonly mesh: SloMesh;
  readonly timeToFullMeshMs: number;
  readonly startMs: number;
  readonly readyMs: number;
  /** performance.now() when the mesh was ready. */
  readonly readyAt: number;
  readonly prometheus?: PrometheusServer;
  /** The Prometheus binary's version, or undefined when it was not requested or is not installed. */
  readonly prometheusVersion?: string;
  /** Stops the mesh, Prometheus and the proxies; idempotent. */
  close(): Promise<void>;
}

export async function prepareSlo(o: SloRunOptions): Promise<PreparedSlo> {
  if (!Number.isInteger(o.nodes) || o.nodes < 2) throw new ConfigError(`an SLO mesh needs at least 2 nodes to handshake, got ${o.nodes}`);
  const dir = resolve(o.dir);
  mkdirSync(dir, { recursive: true });
  const interval = scrapeInterval(o);
  const version = o.prometheus ? prometheusVersion() : undefined;
  let links: ToxicLinks | undefined;
  let starting: Promise<PrometheusServer> | undefined;
  const stopPrometheus = async () => (await starting?.catch(() => undefined))?.stop();
  const prepare = async (specs: MeshNodeSpec[]) => {
    if (o.toxics) links = await routeThroughToxiproxy(specs, o.toxics);
    // Prometheus 2.42 hands new targets to its scrapers on a 5 s tick: started here, on admin
    // ports pinned in the configs, that tick passes while the nodes start instead of after.
    if (version) {
      starting = startPrometheus(join(dir, 'prometheus'), pinAdminPorts(specs, await freePorts(specs.length)), interval);
      starting.catch(() => undefined);
    }
  };
  let mesh: SloMesh;
  const t0 = performance.now();
  try {
    mesh = await startSloMesh(join(dir, 'mesh'), {
      nodes: o.nodes,
      backend: o.backend,
      command: o.command,
      env: o.env,
      extra: o.extra,
      prepare,
    });
  } catch (e) {
    await stopPrometheus();
    await links?.close();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      await stopPrometheus();
      await mesh.stop();
      await links?.close();
    })();
    return closed;
  };
  const t1 = performance.now();
  try {
    const [timeToFullMeshMs, prometheus] = await Promise.all([
      waitFullyConnected(mesh),
      starting?.then(async (p) => {
        await p.waitForScrapes(2);
        return p;
      }),
    ]);
    const t2 = performance.now();
    return {
      options: o,
      mesh,
      timeToFullMeshMs,
      startMs: t1 - t0,
      readyMs: t2 - t1,
      readyAt: t2,
      prometheus,
      prometheusVersion: version,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Drives the load on a prepared mesh and measures it three ways; stops the mesh whatever happens. */
export async function loadSlo(p: PreparedSlo): Promise<{ result: SloRunResult; samples: LoadResult['samples'] }> {
  const { options: o, mesh } = p;
  const interval = scrapeInterval(o);
  try {
    const waited = performance.now() - p.readyAt;
    await o.beforeLoad?.(mesh);
    const before = await scrapeAll(mesh);
    const t2 = performance.now();
    const pairs = pairsOf(mesh);
    const starts = intendedStarts({ count: o.handshakes, ratePerSecond: o.ratePerSecond, arrival: o.arrival, seed: o.seed });
    const load = await runOpenLoop(starts, o.concurrency, async (i) => {
      const pair = pairs[i % pairs.length];
      const a = await triggerHandshake(pair.admin, pair.peer);
      return {
        ok: a.ok,
        ...(a.reason !== undefined ? { reason: a.reason } : {}),
        detail: { suite: a.suite, nodeLatencyMs: a.latencyMs, peer: a.peer },
      };
    });
    const after = await scrapeAll(mesh);
    const t3 = performance.now();
    const memoryPerNodeBytes = Object.fromEntries(
      await Promise.all(mesh.nodes.map(async (n) => [n.id, await residentBytes(n.pid)] as const)),
    );
    let prometheus: PrometheusMeasurement | undefined;
    const version = p.prometheusVersion;
    if (p.prometheus && version) {
      // Two more scrapes so every node's last sample is from after the load.
      await sleep(interval * 2000 + 200);
      prometheus = await queryAll(p.prometheus, version);
    }
    const phasesMs = { start: p.startMs, ready: p.readyMs, waited, load: t3 - t2, drain: performance.now() - t3 };
    const generator = measureGenerator(load, o.seed);
    const nodes = measureNodes(before, after);
    const { samples, ...loadFigures } = load;
    const result: SloRunResult = {
      settings: {
        nodes: o.nodes,
        handshakes: o.handshakes,
        ratePerSecond: o.ratePerSecond,
        concurrency: o.concurrency,
        arrival: o.arrival,
        seed: o.seed,
        prometheus: o.prometheus,
        scrapeIntervalSeconds: interval,
        ...(o.toxics ? { toxics: o.toxics } : {}),
        command: o.command.text,
        backend: o.backend.name,
      },
      timeToFullMeshMs: p.timeToFullMeshMs,
      phasesMs,
      memoryPerNodeBytes,
      load: loadFigures,
      generator,
      nodes,
      ...(prometheus ? { prometheus } : {}),
      ...(o.prometheus && !version ? { prometheusSkipped: 'prometheus binary not found (Debian package prometheus)' } : {}),
      agreement: agreement(generator, nodes, prometheus),
    };
    return { result, samples };
  } finally {
    await p.close();
  }
}

export async function runSlo(o: SloRunOptions): Promise<{ result: SloRunResult; samples: LoadResult['samples'] }> {
  return loadSlo(await prepareSlo(o));
}

/** The files `bench slo --out DIR` writes: one per measurement, the verdicts, and the raw samples. */
export function writeSloRun(outDir: string, run: { result: SloRunResult; samples: LoadResult['samples'] }): string[] {
  mkdirSync(outDir, { recursive: true });
  const files: Record<string, unknown> = {
    'generator.json': { load: run.result.load, measurement: run.result.generator },
    'nodes.json': run.result.nodes,
    'prometheus.json': run.result.prometheus ?? { skipped: run.result.prometheusSkipped ?? 'not requested' },
    'verdicts.json': {
      settings: run.result.settings,
      generator: run.result.generator.verdicts,
      nodes: run.result.nodes.verdicts,
      prometheus: run.result.prometheus?.verdicts ?? null,
      agreement: run.result.agreement,
      timeToFullMeshMs: run.result.timeToFullMeshMs,
      memoryPerNodeBytes: run.result.memoryPerNodeBytes,
    },
    'samples.json': run.samples,
  };
  for (const [name, body] of Object.entries(files)) writeFileSync(join(outDir, name), `${JSON.stringify(body, null, 2)}\n`);
  return Object.keys(files).map((f) => join(outDir, f));
}
