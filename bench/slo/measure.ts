// The three measurements of one SLO run and whether they agree:
//   1. the generator's own samples (bootstrap intervals),
//   2. the nodes' histograms scraped before and after, quantiles by the harness,
//   3. a real Prometheus running the mesh team's PromQL.
// Each yields a verdict per SLO; they must agree, and the p95 values must lie
// within the resolution of the bucket that holds them.
import { HANDSHAKE_LATENCY_BUCKETS } from '../../src/mesh/metrics.ts';
import { nearestRank, pointVerdict, proportionInterval, quantileInterval, verdictOf, type Interval, type SloVerdict } from './bootstrap.ts';
import { bucketDelta, histogramBuckets, maxOf, parseExposition, sumOf, type Bucket } from './exposition.ts';
import type { LoadResult } from './open-loop.ts';
import { histogramQuantile } from './quantile.ts';
import { CLASSICAL_SUITE, SLO } from './targets.ts';
import type { VectorSample } from './prometheus.ts';

export interface Verdicts {
  successRate: SloVerdict;
  p95: SloVerdict;
  fallbackRate: SloVerdict;
}

export interface GeneratorMeasurement {
  handshakes: number;
  successRate: Interval;
  /** Seconds, nearest-rank over every attempt (failures included, like the node histogram). */
  p95Seconds: Interval;
  /** Share of handshakes that negotiated the classical suite. */
  fallbackRate: number;
  /** Timed from the actual start, as a node's own histogram can see it: p95 (nearest rank) and mean, seconds. */
  serviceP95Seconds: number;
  serviceMeanSeconds: number;
  verdicts: Verdicts;
}

export function measureGenerator(load: LoadResult, seed: number, resamples = 1000): GeneratorMeasurement {
  const n = load.samples.length;
  const successRate = proportionInterval(load.succeeded, n, { seed, resamples });
  const p95Seconds = quantileInterval(
    load.samples.map((s) => s.latencyMs / 1000),
    0.95,
    { seed: seed ^ 0x5bd1e995, resamples },
  );
  const classical = load.samples.filter((s) => s.detail?.suite === CLASSICAL_SUITE).length;
  const fallbackRate = classical / n;
  const service = Float64Array.from(load.samples, (s) => s.serviceMs / 1000).sort();
  return {
    handshakes: n,
    successRate,
    p95Seconds,
    fallbackRate,
    serviceP95Seconds: nearestRank(service, 0.95),
    serviceMeanSeconds: service.reduce((a, b) => a + b, 0) / n,
    verdicts: {
      successRate: verdictOf(successRate, SLO.successRate),
      p95: verdictOf(p95Seconds, SLO.p95Seconds),
      fallbackRate: pointVerdict(fallbackRate, SLO.fallbackRate),
    },
  };
}

export interface NodeFigures {
  successes: number;
  failures: number;
  /** Increase of the histogram's _sum (seconds) and _count. */
  latencySumSeconds: number;
  observations: number;
  buckets: Bucket[];
  p95Seconds: number;
  fallbackEnabled: number;
}

export interface NodesMeasurement {
  perNode: Record<string, NodeFigures>;
  successRate: number;
  /** Over every node's buckets summed by le. */
  p95Seconds: number;
  /** Exact mean of every node's observations (_sum / _count), seconds. */
  meanSeconds: number;
  /** The worst node, as the verbatim per-node PromQL sees it. */
  maxNodeP95Seconds: number;
  fallbackEnabledMax: number;
  verdicts: Verdicts;
}

const HIST = 'pqc_handshake_latency_seconds';

/** Increases between two scrapes of every node, and the harness's own histogram_quantile over them. */
export function measureNodes(before: Record<string, string>, after: Record<string, string>): NodesMeasurement {
  const perNode: Record<string, NodeFigures> = {};
  let allBuckets: Bucket[] = [];
  for (const id of Object.keys(after)) {
    if (before[id] === undefined) throw new Error(`no scrape of ${id} before the load`);
    const a = parseExposition(after[id], `${id} /metrics after`);
    const b = parseExposition(before[id], `${id} /metrics before`);
    const buckets = bucketDelta(histogramBuckets(b, HIST), histogramBuckets(a, HIST));
    perNode[id] = {
      successes: sumOf(a, 'pqc_handshake_success_total') - sumOf(b, 'pqc_handshake_success_total'),
      failures: sumOf(a, 'pqc_handshake_failure_total') - sumOf(b, 'pqc_handshake_failure_total'),
      latencySumSeconds: sumOf(a, `${HIST}_sum`) - sumOf(b, `${HIST}_sum`),
      observations: sumOf(a, `${HIST}_count`) - sumOf(b, `${HIST}_count`),
      buckets,
      p95Seconds: histogramQuantile(0.95, buckets),
      fallbackEnabled: maxOf(a, 'pqc_fallback_enabled'),
    };
    allBuckets = allBuckets.length === 0 ? buckets : allBuckets.map((x, i) => ({ le: x.le, count: x.count + buckets[i].count }));
  }
  const nodes = Object.values(perNode);
  const successes = nodes.reduce((s, x) => s + x.successes, 0);
  const failures = nodes.reduce((s, x) => s + x.failures, 0);
  const successRate = successes / (successes + failures);
  const observed = nodes.map((x) => x.p95Seconds).filter((v) => !Number.isNaN(v));
  // No node observed a handshake: no p95, so no verdict (NaN is `unknown`).
  const maxNodeP95Seconds = observed.length ? Math.max(...observed) : Number.NaN;
  const fallbackEnabledMax = Math.max(...nodes.map((x) => x.fallbackEnabled));
  return {
    perNode,
    successRate,
    p95Seconds: histogramQuantile(0.95, allBuckets),
    meanSeconds: nodes.reduce((t, x) => t + x.latencySumSeconds, 0) / nodes.reduce((t, x) => t + x.observations, 0),
    maxNodeP95Seconds,
    fallbackEnabledMax,
    verdicts: {
      successRate: pointVerdict(successRate, SLO.successRate),
      p95: pointVerdict(maxNodeP95Seconds, SLO.p95Seconds),
      fallbackRate: pointVerdict(fallbackEnabledMax, SLO.fallbackRate),
    },
  };
}

export interface PrometheusMeasurement {
  version: string;
  queries: Record<string, string>;
  successRate: number;
  p95ByNode: Record<string, number>;
  p95AllNodesSeconds: number;
  fallbackByNode: Record<string, number>;
  verdicts: Verdicts;
}

export function measurePrometheus(
  version: string,
  queries: Record<string, string>,
  answers: { successRate: VectorSample[]; p95: VectorSample[]; p95AllNodes: VectorSample[]; fallback: VectorSample[] },
): PrometheusMeasurement {
  const byNode = (v: VectorSample[]) => Object.fromEntries(v.map((s) => [s.labels.node ?? s.labels.instance ?? '?', s.value]));
  const p95ByNode = byNode(answers.p95);
  const fallbackByNode = byNode(answers.fallback);
  const successRate = answers.successRate[0]?.value ?? Number.NaN;
  const p95s = Object.values(p95ByNode).filter((v) => !Number.isNaN(v));
  const maxP95 = p95s.length ? Math.max(...p95s) : Number.NaN;
  const fallbacks = Object.values(fallbackByNode);
  return {
    version,
    queries,
    successRate,
    p95ByNode,
    p95AllNodesSeconds: answers.p95AllNodes[0]?.value ?? Number.NaN,
    fallbackByNode,
    verdicts: {
      successRate: pointVerdict(successRate, SLO.successRate),
      p95: pointVerdict(maxP95, SLO.p95Seconds),
      fallbackRate: fallbacks.length ? pointVerdict(Math.max(...fallbacks), SLO.fallbackRate) : 'unknown',
    },
  };
}

/** Index of the bucket (lower, upper] holding x; the +Inf bucket is bounds.length. */
function bucketIndex(x: number, bounds: readonly number[]): number {
  const sorted = [...bounds].sort((a, b) => a - b);
  const i = sorted.findIndex((upper) => x <= upper);
  return i < 0 ? sorted.length : i;
}

/**
 * Two p95 values agree within the histogram's resolution when they fall in
 * the same bucket or in two buckets sharing a bound: a histogram places the
 * quantile in a bucket and no finer, and a value near a bound may land on
 * either side of it (sampling, or Prometheus's per-series rate extrapolation).
 */
export function withinBucket(value: number, reference: number, bounds: readonly number[] = HANDSHAKE_LATENCY_BUCKETS): boolean {
  if (Number.isNaN(value) || Number.isNaN(reference)) return false;
  return Math.abs(bucketIndex(value, bounds) - bucketIndex(reference, bounds)) <= 1;
}

/**
 * The generator's mean service time over the nodes' exact mean. The nodes
 * observe each handshake twice, the responder's (shorter) time and the
 * initiator's; the generator adds the admin HTTP round trip. So the ratio sits
 * a little above 1; outside 0.5..3 one side measures something else (a unit
 * error, a clock that never started).
 */
export const MEAN_RATIO = { min: 0.5, max: 3 } as const;

export interface Agreement {
  agree: boolean;
  problems: string[];
}

/** An `unknown` interval verdict contradicts nothing; any other difference is a disagreement. */
export function agreement(gen: GeneratorMeasurement, nodes: NodesMeasurement, prom: PrometheusMeasurement | undefined): Agreement {
  const problems: string[] = [];
  for (const slo of ['successRate', 'p95', 'fallbackRate'] as const) {
    const seen: [string, SloVerdict][] = [
      ['generator', gen.verdicts[slo]],
      ['nodes', nodes.verdicts[slo]],
      ...(prom ? [['prometheus', prom.verdicts[slo]] as [string, SloVerdict]] : []),
    ];
    const decided = seen.filter(([, v]) => v !== 'unknown');
    if (new Set(decided.map(([, v]) => v)).size > 1)
      problems.push(`${slo} verdicts differ: ${seen.map(([who, v]) => `${who} ${v}`).join(', ')}`);
  }
  // A node times a handshake from its own start, so its histogram is set
  // beside the generator's service times (from the actual start); the time
  // spent queueing behind late starts shows only in the verdicts above.
  if (!withinBucket(gen.serviceP95Seconds, nodes.p95Seconds))
    problems.push(
      `p95: generator ${gen.serviceP95Seconds.toFixed(4)} s (from actual start) and node histograms ${nodes.p95Seconds.toFixed(4)} s are more than one bucket apart`,
    );
  const meanRatio = gen.serviceMeanSeconds / nodes.meanSeconds;
  if (!(meanRatio >= MEAN_RATIO.min && meanRatio <= MEAN_RATIO.max))
    problems.push(
      `mean: generator ${gen.serviceMeanSeconds.toFixed(4)} s vs node histograms ${nodes.meanSeconds.toFixed(4)} s (_sum/_count), ratio ${meanRatio.toPrecision(3)} outside ${MEAN_RATIO.min}..${MEAN_RATIO.max}`,
    );
  if (prom) {
    if (!withinBucket(prom.p95AllNodesSeconds, nodes.p95Seconds))
      problems.push(`p95 over all nodes: prometheus ${prom.p95AllNodesSeconds} s vs harness ${nodes.p95Seconds} s`);
    for (const [id, f] of Object.entries(nodes.perNode)) {
      const p = prom.p95ByNode[id];
      if (Number.isNaN(f.p95Seconds) && (p === undefined || Number.isNaN(p))) continue;
      if (p === undefined || !withinBucket(p, f.p95Seconds)) problems.push(`p95 of ${id}: prometheus ${p} s vs harness ${f.p95Seconds} s`);
    }
  }
  return { agree: problems.length === 0, problems };
}
