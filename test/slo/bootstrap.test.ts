// Bootstrap intervals, the three-valued verdict, schedules and the
// open-loop bookkeeping (small loads: only the arithmetic is under test).
import { describe, expect, it } from 'vitest';
import { proportionInterval, quantileInterval, verdictOf } from '../../bench/slo/bootstrap.ts';
import { runOpenLoop, LATE_START_MS } from '../../bench/slo/open-loop.ts';
import { seededRandom } from '../../bench/slo/random.ts';
import { intendedStarts } from '../../bench/slo/schedule.ts';

describe('bootstrap intervals', () => {
  it('replays from its seed and brackets the estimate', () => {
    const r = seededRandom(3);
    const xs = Array.from({ length: 400 }, () => 0.01 + r() * 0.02);
    const a = quantileInterval(xs, 0.95, { seed: 9, resamples: 300 });
    expect(quantileInterval(xs, 0.95, { seed: 9, resamples: 300 })).toEqual(a);
    expect(a.lo).toBeLessThanOrEqual(a.estimate);
    expect(a.hi).toBeGreaterThanOrEqual(a.estimate);
    expect(a.hi - a.lo).toBeGreaterThan(0);
  });

  it('gives all-success runs a point interval and widens with fewer samples', () => {
    expect(proportionInterval(500, 500, { seed: 1, resamples: 200 })).toMatchObject({ lo: 1, hi: 1 });
    const small = proportionInterval(490, 500, { seed: 1, resamples: 500 });
    const large = proportionInterval(9800, 10_000, { seed: 1, resamples: 500 });
    expect(small.hi - small.lo).toBeGreaterThan(large.hi - large.lo);
    // 98% over 500 cannot be told from 99%; over 10 000 it fails.
    expect(verdictOf(small, { atLeast: 0.99 })).toBe('unknown');
    expect(verdictOf(large, { atLeast: 0.99 })).toBe('fail');
  });

  it('passes only inside the target, fails only outside, else unknown', () => {
    expect(verdictOf({ lo: 0.02, hi: 0.09 }, { below: 0.1 })).toBe('pass');
    expect(verdictOf({ lo: 0.09, hi: 0.11 }, { below: 0.1 })).toBe('unknown');
    expect(verdictOf({ lo: 0.1, hi: 0.2 }, { below: 0.1 })).toBe('fail');
    expect(verdictOf({ lo: 0.99, hi: 1 }, { atLeast: 0.99 })).toBe('pass');
    expect(verdictOf({ lo: 0.95, hi: 0.98 }, { atLeast: 0.99 })).toBe('fail');
  });
});

describe('schedules', () => {
  it('spaces a constant rate evenly and draws Poisson gaps from the seed', () => {
    expect([...intendedStarts({ count: 4, ratePerSecond: 100, arrival: 'constant', seed: 0 })]).toEqual([0, 10, 20, 30]);
    const p = intendedStarts({ count: 5000, ratePerSecond: 100, arrival: 'poisson', seed: 4 });
    expect(intendedStarts({ count: 5000, ratePerSecond: 100, arrival: 'poisson', seed: 4 })).toEqual(p);
    expect(intendedStarts({ count: 5000, ratePerSecond: 100, arrival: 'poisson', seed: 5 })).not.toEqual(p);
    const meanGap = p[p.length - 1] / (p.length - 1);
    expect(meanGap).toBeGreaterThan(9);
    expect(meanGap).toBeLessThan(11);
  });

  it('refuses a bad count or rate, naming it', () => {
    expect(() => intendedStarts({ count: 0, ratePerSecond: 1, arrival: 'constant', seed: 0 })).toThrow(/count/);
    expect(() => intendedStarts({ count: 1, ratePerSecond: 0, arrival: 'constant', seed: 0 })).toThrow(/rate/);
  });
});

describe('open loop', () => {
  it('times each operation from its intended start, lanes serve their starts in turn, late starts are counted', async () => {
    // Ten starts 1 ms apart on one lane, each taking ~5 ms: every start after the first waits.
    const starts = intendedStarts({ count: 10, ratePerSecond: 1000, arrival: 'constant', seed: 0 });
    const r = await runOpenLoop(starts, 1, async (i) => {
      await new Promise((res) => setTimeout(res, 5));
      return i === 3 ? { ok: false, reason: 'x' } : { ok: true };
    });
    expect(r.samples).toHaveLength(10);
    expect(r.failed).toBe(1);
    expect(r.successRate).toBeCloseTo(0.9, 12);
    for (const [k, s] of r.samples.entries()) {
      expect(s.startedMs).toBeGreaterThanOrEqual(s.intendedMs);
      // latency = queueing + service, exactly
      expect(s.latencyMs).toBeCloseTo(s.startedMs - s.intendedMs + s.serviceMs, 6);
      if (k > 0) expect(s.startedMs).toBeGreaterThanOrEqual(r.samples[k - 1].startedMs + r.samples[k - 1].serviceMs - 1e-6);
    }
    expect(r.lateStarts).toBe(r.samples.filter((s) => s.startedMs - s.intendedMs > LATE_START_MS).length);
    expect(r.lateStarts).toBeGreaterThan(0);
    expect(r.latency.max).toBeGreaterThanOrEqual(r.serviceTime.max);
  });

  it('counts a throwing operation as a failure with its message', async () => {
    const r = await runOpenLoop(new Float64Array([0, 0]), 2, async () => {
      throw new Error('boom');
    });
    expect(r.failed).toBe(2);
    expect(r.samples[0].reason).toBe('boom');
  });
});
