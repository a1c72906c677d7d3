// One SLO run: start a mesh with the node command, let a real Prometheus
// scrape it, drive an open-loop handshake load through the admin API, scrape
// before and after, and put the three measurements side by side.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { ConfigError } from '../../src/errors.ts';
import type { MeshNodeSpec } from '../../src/mesh/node/launcher.ts';
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
import { residentBytes, scrape, startSloMesh, triggerHandshake, waitFullyConnected, type SloMesh } from './mesh.ts';
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
  memoryPerNodeBytes: Record<string, number | undefined>;
  load: Omit<LoadResult, 'samples'>;
  generator: GeneratorMeasurement;
  nodes: NodesMeasurement;
  prometheus?: PrometheusMeasurement;
  prometheusSkipped?: string;
  agreement: Agreement;
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

export async function runSlo(o: SloRunOptions): Promise<{ result: SloRunResult; samples: LoadResult['samples'] }> {
  if (!Number.isInteger(o.nodes) || o.nodes < 2) throw new ConfigError(`an SLO mesh needs at least 2 nodes to handshake, got ${o.nodes}`);
  const dir = resolve(o.dir);
  mkdirSync(dir, { recursive: true });
  const interval = o.scrapeIntervalSeconds ?? 1;
  const version = o.prometheus ? prometheusVersion() : undefined;
  let links: ToxicLinks | undefined;
  const toxics = o.toxics;
  const prepare = toxics
    ? async (specs: MeshNodeSpec[]) => {
        links = await routeThroughToxiproxy(specs, toxics);
      }
    : undefined;
  let mesh: SloMesh;
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
    await links?.close();
    throw e;
  }
  let prom: PrometheusServer | undefined;
  try {
    const timeToFullMeshMs = await waitFullyConnected(mesh);
    if (version) {
      prom = await startPrometheus(join(dir, 'prometheus'), mesh.nodes, interval);
      await prom.waitForScrapes(2);
    }
    await o.beforeLoad?.(mesh);
    const before = await scrapeAll(mesh);
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
    const memoryPerNodeBytes = Object.fromEntries(
      await Promise.all(mesh.nodes.map(async (n) => [n.id, await residentBytes(n.pid)] as const)),
    );
    let prometheus: PrometheusMeasurement | undefined;
    if (prom && version) {
      // Two more scrapes so every node's last sample is from after the load.
      await sleep(interval * 2000 + 200);
      prometheus = await queryAll(prom, version);
    }
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
      timeToFullMeshMs,
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
    await prom?.stop();
    await mesh.stop();
    await links?.close();
  }
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
