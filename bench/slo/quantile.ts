// histogram_quantile as Prometheus computes it (promql/quantile.go, 2.x):
// find the first bucket whose cumulative count reaches rank = q * total and
// interpolate linearly inside it, assuming observations spread evenly.
import type { Bucket } from './exposition.ts';

/**
 * The q-quantile of cumulative buckets (ascending le, +Inf last).
 * NaN without observations or without a +Inf bucket, like Prometheus; a rank
 * that falls in the +Inf bucket answers the highest finite bound.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const b = [...buckets].sort((x, y) => x.le - y.le);
  if (b.length < 2 || b[b.length - 1].le !== Number.POSITIVE_INFINITY) return Number.NaN;
  const total = b[b.length - 1].count;
  if (total === 0) return Number.NaN;
  let rank = q * total;
  let i = 0;
  while (i < b.length - 1 && b[i].count < rank) i++;
  if (i === b.length - 1) return b[b.length - 2].le;
  if (i === 0 && b[0].le <= 0) return b[0].le;
  const start = i === 0 ? 0 : b[i - 1].le;
  let count = b[i].count;
  if (i > 0) {
    count -= b[i - 1].count;
    rank -= b[i - 1].count;
  }
  return start + (b[i].le - start) * (rank / count);
}
