// histogram_quantile as Prometheus does it, exposition parsing, and why the
// 0.1 s bucket boundary makes the p95 < 100 ms verdict exact.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestRank } from '../../bench/slo/bootstrap.ts';
import { bucketDelta, histogramBuckets, parseExposition, sumOf } from '../../bench/slo/exposition.ts';
import { histogramQuantile } from '../../bench/slo/quantile.ts';
import { HANDSHAKE_LATENCY_BUCKETS, MeshMetrics } from '../../src/mesh/metrics.ts';

const cumulative = (bounds: number[], counts: number[]) => bounds.map((le, i) => ({ le, count: counts[i] }));

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket that reaches the rank', () => {
    // 100 observations: 50 in (0, 0.01], 40 in (0.01, 0.05], 10 in (0.05, 0.1]
    const b = cumulative([0.01, 0.05, 0.1, Number.POSITIVE_INFINITY], [50, 90, 100, 100]);
    expect(histogramQuantile(0.5, b)).toBeCloseTo(0.01, 12);
    expect(histogramQuantile(0.25, b)).toBeCloseTo(0.005, 12);
    // rank 95: 5 of the 10 in (0.05, 0.1]
    expect(histogramQuantile(0.95, b)).toBeCloseTo(0.075, 12);
  });

  it('answers the highest finite bound when the rank falls in +Inf, and NaN without +Inf or observations', () => {
    expect(histogramQuantile(0.95, cumulative([0.1, 0.5, Number.POSITIVE_INFINITY], [10, 20, 100]))).toBe(0.5);
    expect(histogramQuantile(0.95, cumulative([0.1, 0.5], [10, 20]))).toBeNaN();
    expect(histogramQuantile(0.95, cumulative([0.1, Number.POSITIVE_INFINITY], [0, 0]))).toBeNaN();
    expect(histogramQuantile(-1, cumulative([0.1, Number.POSITIVE_INFINITY], [1, 1]))).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(2, cumulative([0.1, Number.POSITIVE_INFINITY], [1, 1]))).toBe(Number.POSITIVE_INFINITY);
  });

  it('puts p95 at or below 0.1 s exactly when the raw samples nearest-rank p95 is (the 0.1 boundary)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.0001, max: 2, noNaN: true }), { minLength: 1, maxLength: 300 }), (xs) => {
        const m = new Map(HANDSHAKE_LATENCY_BUCKETS.map((le) => [le, 0]));
        for (const x of xs) for (const le of HANDSHAKE_LATENCY_BUCKETS) if (x <= le) m.set(le, m.get(le)! + 1);
        const buckets = [...m].map(([le, count]) => ({ le, count })).concat({ le: Number.POSITIVE_INFINITY, count: xs.length });
        const sorted = [...xs].sort((a, b) => a - b);
        return histogramQuantile(0.95, buckets) <= 0.1 === nearestRank(sorted, 0.95) <= 0.1;
      }),
      { seed: 13, numRuns: 500 },
    );
  });
});

describe('exposition', () => {
  it('reads back a node registry: counters, buckets summed by le, deltas', async () => {
    const m = new MeshMetrics({ defaultLabels: { node: 'n1' } });
    const before = parseExposition(await m.exposition());
    for (const s of [0.004, 0.02, 0.03, 0.2]) m.handshakeSucceeded(s);
    m.handshakeFailed('timeout', 5.5);
    const after = parseExposition(await m.exposition());
    expect(sumOf(after, 'pqc_handshake_success_total')).toBe(4);
    expect(sumOf(after, 'pqc_handshake_failure_total')).toBe(1);
    expect(sumOf(after, 'pqc_handshake_failure_total', { reason: 'timeout' })).toBe(1);
    const delta = bucketDelta(
      histogramBuckets(before, 'pqc_handshake_latency_seconds'),
      histogramBuckets(after, 'pqc_handshake_latency_seconds'),
    );
    expect(delta.map((b) => b.count)).toEqual([0, 1, 1, 3, 3, 4, 4, 4, 5]);
    expect(delta.at(-1)?.le).toBe(Number.POSITIVE_INFINITY);
  });

  it('names the line of a malformed sample', () => {
    expect(() => parseExposition('# HELP x y\nx 1\nx{a="b"} nope\n', 'n1 /metrics')).toThrow(/n1 \/metrics:3/);
    expect(() => parseExposition('}{ 1\n', 'n2')).toThrow(/n2:1: not a sample line/);
  });
});
