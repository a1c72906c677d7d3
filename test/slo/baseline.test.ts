// Baselines: noise-aware regression thresholds from repeated runs' spread.
import { describe, expect, it } from 'vitest';
import { compareBench, readBenchFile, relativeSpread, type BenchFile } from '../../bench/slo/baseline.ts';

const file = (figures: BenchFile['figures']): BenchFile => ({
  kind: 'pqc-harness-bench',
  version: 1,
  createdAt: '',
  settings: {},
  figures,
});

describe('compareBench', () => {
  it('flags a ratio beyond three robust spreads and not one within them', () => {
    const base = file({ p95: { unit: 'ms', better: 'lower', values: [20, 21, 19, 20.5] } });
    const noisy = file({ p95: { unit: 'ms', better: 'lower', values: [40, 20, 30, 25] } });
    const slower = file({ p95: { unit: 'ms', better: 'lower', values: [30, 30.5, 29.5, 30] } });
    const [same] = compareBench(base, file({ p95: { unit: 'ms', better: 'lower', values: [20.4, 20, 21, 19.5] } }));
    expect(same.regression).toBe(false);
    const [reg] = compareBench(base, slower);
    expect(reg.regression).toBe(true);
    expect(reg.worseRatio).toBeCloseTo(30 / 20.25, 6);
    // the same 1.5x in a noisy current run stays under its wider threshold
    const [wide] = compareBench(base, noisy);
    expect(wide.threshold!).toBeGreaterThan(reg.threshold!);
  });

  it('turns higher-is-better figures around and refuses to judge a single run', () => {
    const [r] = compareBench(
      file({ hps: { unit: 'hs/s', better: 'higher', values: [100, 101, 99] } }),
      file({ hps: { unit: 'hs/s', better: 'higher', values: [50, 51, 49] } }),
    );
    expect(r.worseRatio).toBeCloseTo(2, 6);
    expect(r.regression).toBe(true);
    const [one] = compareBench(
      file({ x: { unit: 'ms', better: 'lower', values: [1] } }),
      file({ x: { unit: 'ms', better: 'lower', values: [9] } }),
    );
    expect(one.regression).toBe(false);
    expect(one.note).toMatch(/--repeat/);
  });

  it('reads only bench files, naming the bad field', () => {
    expect(() => readBenchFile('{"kind":"x"}', 'b.json')).toThrow(/b.json: not a pqc-harness bench file/);
    expect(() => readBenchFile(JSON.stringify(file({ p: { unit: 'ms', better: 'lower', values: [] } })), 'b.json')).toThrow(
      /figure "p": values/,
    );
    expect(relativeSpread([5])).toBeUndefined();
  });
});
