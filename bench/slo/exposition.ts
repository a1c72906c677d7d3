// Reading the Prometheus text exposition a node serves at /metrics, enough
// for the SLO: counters, gauges and histogram buckets, summed over series.
export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseValue(text: string, where: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const v = Number(text);
  if (Number.isNaN(v) && text !== 'NaN') throw new Error(`${where}: value "${text}" is not a number`);
  return v;
}

/** Every sample line of an exposition; comments and blank lines are skipped, anything else malformed is an error naming the line. */
export function parseExposition(text: string, source = 'exposition'): Series[] {
  const out: Series[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) throw new Error(`${source}:${i + 1}: not a sample line: ${line.slice(0, 80)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1], labels, value: parseValue(m[3], `${source}:${i + 1}`) });
  });
  return out;
}

/** Sum of a metric's series whose labels include `match`. */
export function sumOf(series: readonly Series[], name: string, match: Record<string, string> = {}): number {
  let total = 0;
  for (const s of series) if (s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
  return total;
}

export function maxOf(series: readonly Series[], name: string): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const s of series) if (s.name === name) max = Math.max(max, s.value);
  return max;
}

/** One cumulative bucket: observations <= le. */
export interface Bucket {
  le: number;
  count: number;
}

/** The `<name>_bucket` series summed by `le` (like `sum by (le)`), ascending. */
export function histogramBuckets(series: readonly Series[], name: string): Bucket[] {
  const byLe = new Map<number, number>();
  for (const s of series) {
    if (s.name !== `${name}_bucket`) continue;
    const le = parseValue(s.labels.le ?? '', `${name}_bucket le`);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/** after - before, bucket by bucket (the increase over a load). */
export function bucketDelta(before: readonly Bucket[], after: readonly Bucket[]): Bucket[] {
  const old = new Map(before.map((b) => [b.le, b.count]));
  return after.map((b) => ({ le: b.le, count: b.count - (old.get(b.le) ?? 0) }));
}
