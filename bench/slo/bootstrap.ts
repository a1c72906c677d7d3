// Bootstrap confidence intervals (percentile method, seeded resampling) for
// the two SLO statistics the generator's samples support, and the
// three-valued verdict: pass only when the whole interval meets the target.
import { seededRandom } from './random.ts';

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
  confidence: number;
  resamples: number;
  seed: number;
}

export type SloVerdict = 'pass' | 'fail' | 'unknown';

/** Nearest-rank quantile of an ascending array (the value at rank ceil(q*n)). */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function percentileInterval(stats: Float64Array, estimate: number, confidence: number, resamples: number, seed: number): Interval {
  stats.sort();
  const alpha = (1 - confidence) / 2;
  return { estimate, lo: nearestRank(stats, alpha), hi: nearestRank(stats, 1 - alpha), confidence, resamples, seed };
}

export interface BootstrapOptions {
  seed: number;
  resamples?: number;
  confidence?: number;
}

/** CI of the q-quantile of the values. */
export function quantileInterval(values: ArrayLike<number>, q: number, o: BootstrapOptions): Interval {
  const n = values.length;
  if (n === 0) throw new RangeError('no samples to bootstrap');
  const resamples = o.resamples ?? 1000;
  const confidence = o.confidence ?? 0.95;
  const random = seededRandom(o.seed);
  const sorted = Float64Array.from(values).sort();
  // Resampling indices into the sorted values: the q-quantile of a resample is
  // the sorted value at the resample's rank, so sorting indices is enough.
  const idx = new Uint32Array(n);
  const stats = new Float64Array(resamples);
  const rank = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = Math.floor(random() * n);
    idx.sort();
    stats[b] = sorted[idx[rank]];
  }
  return percentileInterval(stats, nearestRank(sorted, q), confidence, resamples, o.seed);
}

/** CI of the success proportion: each resample draws n outcomes with replacement. */
export function proportionInterval(successes: number, n: number, o: BootstrapOptions): Interval {
  if (n === 0) throw new RangeError('no samples to bootstrap');
  const resamples = o.resamples ?? 1000;
  const confidence = o.confidence ?? 0.95;
  const random = seededRandom(o.seed);
  const p = successes / n;
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random() < p) k++;
    stats[b] = k / n;
  }
  return percentileInterval(stats, p, confidence, resamples, o.seed);
}

/** A bound the statistic must stay under (p95 < 100 ms) or at least reach (success >= 99%). */
export type Target = { below: number } | { atLeast: number };

export function verdictOf(ci: Pick<Interval, 'lo' | 'hi'>, target: Target): SloVerdict {
  if ('below' in target) return ci.hi < target.below ? 'pass' : ci.lo >= target.below ? 'fail' : 'unknown';
  return ci.lo >= target.atLeast ? 'pass' : ci.hi < target.atLeast ? 'fail' : 'unknown';
}

/** A point value against the same target (the node histograms and Prometheus give no interval). */
export function pointVerdict(value: number, target: Target): SloVerdict {
  if (Number.isNaN(value)) return 'unknown';
  return verdictOf({ lo: value, hi: value }, target);
}
