// Baselines: a bench run's figures saved with every repeat's value, and a
// comparison whose regression threshold comes from the runs' own spread
// (robust: 1.4826 x the median absolute deviation, relative to the median)
// rather than a fixed percentage.
export type Better = 'lower' | 'higher';

export interface Figure {
  unit: string;
  better: Better;
  /** One value per repeated run. */
  values: number[];
}

export interface BenchFile {
  kind: 'pqc-harness-bench';
  version: 1;
  createdAt: string;
  settings: Record<string, unknown>;
  figures: Record<string, Figure>;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Robust relative spread: 1.4826 * MAD / median (an sd estimate for normal noise); undefined with fewer than 2 values. */
export function relativeSpread(xs: readonly number[]): number | undefined {
  if (xs.length < 2) return undefined;
  const m = median(xs);
  if (m === 0) return 0;
  return (1.4826 * median(xs.map((x) => Math.abs(x - m)))) / Math.abs(m);
}

/** How many spreads a ratio may move before it is a regression. */
export const NOISE_MULTIPLIER = 3;
/** Below this the spread is timer resolution, not noise. */
export const MIN_RELATIVE_SPREAD = 0.01;

export interface ComparisonRow {
  figure: string;
  unit: string;
  baseline: number;
  current: number;
  /** > 1 is worse, whichever direction the figure improves in. */
  worseRatio: number;
  /** worseRatio above this is a regression; undefined when the baseline has no spread (one run). */
  threshold?: number;
  regression: boolean;
  note?: string;
}

export function compareBench(baseline: BenchFile, current: BenchFile): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const [name, cur] of Object.entries(current.figures)) {
    const base = baseline.figures[name];
    if (!base) {
      rows.push({
        figure: name,
        unit: cur.unit,
        baseline: Number.NaN,
        current: median(cur.values),
        worseRatio: Number.NaN,
        regression: false,
        note: 'not in the baseline',
      });
      continue;
    }
    const b = median(base.values);
    const c = median(cur.values);
    const worseRatio = cur.better === 'lower' ? c / b : b / c;
    const spreads = [relativeSpread(base.values), relativeSpread(cur.values)].filter((s): s is number => s !== undefined);
    if (spreads.length === 0) {
      rows.push({
        figure: name,
        unit: cur.unit,
        baseline: b,
        current: c,
        worseRatio,
        regression: false,
        note: 'one run on each side: no spread to judge noise by; record baselines with --repeat 3',
      });
      continue;
    }
    // The noise of a ratio of two medians: both sides' relative spreads add in quadrature.
    const spread = Math.max(MIN_RELATIVE_SPREAD, Math.sqrt(spreads.reduce((s, x) => s + x * x, 0) * (2 / spreads.length)));
    const threshold = 1 + NOISE_MULTIPLIER * spread;
    rows.push({ figure: name, unit: cur.unit, baseline: b, current: c, worseRatio, threshold, regression: worseRatio > threshold });
  }
  return rows;
}

export function formatComparison(rows: readonly ComparisonRow[]): string {
  const lines = rows.map((r) => {
    const th = r.threshold === undefined ? '   n/a' : r.threshold.toFixed(3).padStart(6);
    const flag = r.regression ? 'REGRESSION' : r.note ? `(${r.note})` : 'ok';
    return `${r.figure.padEnd(34)} ${r.baseline.toFixed(3).padStart(10)} ${r.current.toFixed(3).padStart(10)} ${r.unit.padEnd(5)} x${r.worseRatio.toFixed(3)} (limit ${th})  ${flag}`;
  });
  return [`${'figure'.padEnd(34)} ${'baseline'.padStart(10)} ${'current'.padStart(10)}`, ...lines].join('\n');
}

export function readBenchFile(text: string, source: string): BenchFile {
  let doc: BenchFile;
  try {
    doc = JSON.parse(text) as BenchFile;
  } catch (e) {
    throw new Error(`${source}: not JSON (${(e as Error).message})`);
  }
  if (doc?.kind !== 'pqc-harness-bench' || doc.version !== 1 || typeof doc.figures !== 'object')
    throw new Error(`${source}: not a pqc-harness bench file (kind "pqc-harness-bench", version 1)`);
  for (const [name, f] of Object.entries(doc.figures)) {
    if (!Array.isArray(f.values) || f.values.length === 0 || !f.values.every((v) => typeof v === 'number'))
      throw new Error(`${source}: figure "${name}": values must be a non-empty array of numbers`);
    if (f.better !== 'lower' && f.better !== 'higher') throw new Error(`${source}: figure "${name}": better must be "lower" or "higher"`);
  }
  return doc;
}
