// Turning SLO runs into the named figures a baseline keeps.
import type { BenchFile, Figure } from './baseline.ts';
import type { SloRunResult } from './run.ts';

export function addValue(
  figures: Record<string, Figure>,
  name: string,
  unit: string,
  better: Figure['better'],
  value: number | undefined,
): void {
  if (value === undefined || !Number.isFinite(value)) return;
  figures[name] ??= { unit, better, values: [] };
  figures[name].values.push(value);
}

/** Figures of one run, prefixed by its label (e.g. "c8" or "c8+toxics"). */
export function addRunFigures(figures: Record<string, Figure>, label: string, r: SloRunResult): void {
  addValue(figures, `${label}.p50`, 'ms', 'lower', r.load.latency.p50);
  addValue(figures, `${label}.p95`, 'ms', 'lower', r.load.latency.p95);
  addValue(figures, `${label}.p99`, 'ms', 'lower', r.load.latency.p99);
  addValue(figures, `${label}.successRate`, 'ratio', 'higher', r.load.successRate);
  addValue(figures, `${label}.timeToFullMesh`, 'ms', 'lower', r.timeToFullMeshMs);
  const mem = Object.values(r.memoryPerNodeBytes).filter((v): v is number => v !== undefined);
  if (mem.length) addValue(figures, `${label}.memoryPerNode`, 'MiB', 'lower', mem.reduce((a, b) => a + b, 0) / mem.length / 2 ** 20);
}

export function benchFile(settings: Record<string, unknown>, figures: Record<string, Figure>): BenchFile {
  return { kind: 'pqc-harness-bench', version: 1, createdAt: new Date().toISOString(), settings, figures };
}
