// The three measurements side by side: node-scrape arithmetic and the
// agreement rules, on hand-made inputs.
import { describe, expect, it } from 'vitest';
import { agreement, measureGenerator, measureNodes, measurePrometheus, withinBucket } from '../../bench/slo/measure.ts';
import type { LoadResult, Sample } from '../../bench/slo/open-loop.ts';
import { MeshMetrics } from '../../src/mesh/metrics.ts';

function load(latenciesMs: number[], failEvery = 0, suite = 'XWING-MLDSA65'): LoadResult {
  const samples: Sample[] = latenciesMs.map((l, i) => ({
    index: i,
    intendedMs: i,
    startedMs: i,
    latencyMs: l,
    serviceMs: l,
    ok: !(failEvery && i % failEvery === 0),
    detail: { suite },
  }));
  const succeeded = samples.filter((s) => s.ok).length;
  const summary = { count: samples.length, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, unit: 'ms' as const };
  return {
    samples,
    latency: summary,
    serviceTime: summary,
    succeeded,
    failed: samples.length - succeeded,
    successRate: succeeded / samples.length,
    lateStarts: 0,
    concurrency: 1,
    durationMs: 1,
    achievedRatePerSecond: 1,
  };
}

async function scrapes(observe: (m: MeshMetrics) => void, fallback = false): Promise<[Record<string, string>, Record<string, string>]> {
  const m = new MeshMetrics();
  const before = await m.exposition();
  observe(m);
  m.setFallback(fallback);
  return [{ n1: before }, { n1: await m.exposition() }];
}

describe('three measurements', () => {
  it('agree on a healthy run: verdicts and p95 within one bucket', async () => {
    const ms = Array.from({ length: 400 }, (_, i) => 10 + (i % 20));
    const gen = measureGenerator(load(ms), 1, 200);
    const [b, a] = await scrapes((m) => {
      for (const x of ms) m.handshakeSucceeded(x / 1000);
    });
    const nodes = measureNodes(b, a);
    expect(nodes.perNode.n1.successes).toBe(400);
    expect(nodes.successRate).toBe(1);
    expect(gen.verdicts).toEqual({ successRate: 'pass', p95: 'pass', fallbackRate: 'pass' });
    expect(nodes.verdicts).toEqual(gen.verdicts);
    const prom = measurePrometheus(
      'test',
      {},
      {
        successRate: [{ labels: {}, value: 1 }],
        p95: [{ labels: { node: 'n1' }, value: nodes.perNode.n1.p95Seconds * 1.01 }],
        p95AllNodes: [{ labels: {}, value: nodes.p95Seconds }],
        fallback: [{ labels: { node: 'n1' }, value: 0 }],
      },
    );
    expect(agreement(gen, nodes, prom)).toEqual({ agree: true, problems: [] });
  });

  it('disagree when the nodes hide what the load saw, and say which', async () => {
    const gen = measureGenerator(load(Array.from({ length: 200 }, () => 300)), 1, 200);
    const [b, a] = await scrapes((m) => {
      for (let i = 0; i < 200; i++) m.handshakeSucceeded(0.02);
    });
    const r = agreement(gen, measureNodes(b, a), undefined);
    expect(r.agree).toBe(false);
    expect(r.problems.join('\n')).toMatch(/p95 verdicts differ: generator fail, nodes pass/);
    expect(r.problems.join('\n')).toMatch(/more than one bucket apart/);
  });

  it('disagree on the mean when a node records milliseconds as seconds', async () => {
    const ms = Array.from({ length: 200 }, (_, i) => 10 + (i % 5));
    const gen = measureGenerator(load(ms), 1, 100);
    const [b, a] = await scrapes((m) => {
      for (const x of ms) m.handshakeSucceeded(x);
    });
    const nodes = measureNodes(b, a);
    expect(nodes.meanSeconds).toBeCloseTo(12, 6);
    const r = agreement(gen, nodes, undefined);
    expect(r.agree).toBe(false);
    expect(r.problems.join('\n')).toMatch(/mean: generator 0\.0120 s vs node histograms 12\.0000 s/);
  });

  it('see fallback three ways: classical handshakes, the gauge, the query', async () => {
    const gen = measureGenerator(load([10, 10, 10], 0, 'X25519-ED25519'), 1, 50);
    expect(gen.fallbackRate).toBe(1);
    expect(gen.verdicts.fallbackRate).toBe('fail');
    const [b, a] = await scrapes((m) => m.handshakeSucceeded(0.01), true);
    expect(measureNodes(b, a).verdicts.fallbackRate).toBe('fail');
  });

  it('withinBucket accepts the same or a neighbouring bucket, nothing further', () => {
    expect(withinBucket(0.012, 0.045)).toBe(true); // both in (0.01, 0.05]
    expect(withinBucket(0.0995, 0.1495)).toBe(true); // neighbours across the 0.1 bound
    expect(withinBucket(0.627, 0.48)).toBe(true); // (0.5, 1] and (0.1, 0.5]
    expect(withinBucket(0.2, 0.045)).toBe(false); // (0.05, 0.1] lies between
    expect(withinBucket(0.004, 0.06)).toBe(false);
    expect(withinBucket(7, 0.9)).toBe(false); // +Inf bucket vs (0.5, 1]
    expect(withinBucket(Number.NaN, 0.1)).toBe(false);
  });
});
