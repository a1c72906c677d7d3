// The slo suite on real node processes: each mutant node command declared in
// suites/slo/mutants.ts fails the check it is aimed at (the reference passes
// them all in certify-slo.test.ts). Loads are small except for the 2%
// mutant, which needs ~1 200 handshakes before a 95% interval can separate
// 98% from 99% (at pr size it is left undecided, which fails the check too).
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/check/evidence.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import type { SuiteEnv } from '../../suites/env.ts';
import { envWithMutant } from '../../suites/selftest/subject.ts';
import { createSloSuite, type LoadSize, type SloSuiteOptions } from '../../suites/slo/index.ts';
import { sloMutants } from '../../suites/slo/mutants.ts';

const BASE: SuiteEnv = { backends: [createNobleBackend()], profile: 'pr', seed: 20261201 };

async function runOnMutant(name: string, size: LoadSize, o: SloSuiteOptions = {}): Promise<Record<string, Verdict>> {
  const mutant = sloMutants.find((m) => m.name === name)!;
  const env = await envWithMutant(BASE, mutant);
  expect(env.nodeCommand).toContain(mutant.module);
  const out: Record<string, Verdict> = {};
  for (const c of await createSloSuite({ ...o, sizes: { pr: size } }).checks(env))
    out[c.id] = await c.run({ seed: BASE.seed, profile: 'pr' });
  return out;
}

describe('slo checks on mutant node commands', () => {
  it('slow-handshake (+150 ms per handshake) fails slo/handshake/p95', async () => {
    const v = await runOnMutant('slow-handshake', { nodes: 3, handshakes: 60, ratePerSecond: 20, concurrency: 8 }, { prometheus: false });
    expect(v['slo/handshake/p95'].status).toBe('fail');
    expect(v['slo/handshake/p95'].reason).toMatch(/p95 handshake latency misses the SLO/);
    expect((v['slo/handshake/p95'].evidence.generatorSeconds as { lo: number }).lo).toBeGreaterThan(0.15);
    expect(v['slo/handshake/success-rate'].status).toBe('pass');
  });

  it('failing-handshakes (2%) fails slo/handshake/success-rate', async () => {
    const v = await runOnMutant(
      'failing-handshakes',
      { nodes: 3, handshakes: 1200, ratePerSecond: 80, concurrency: 8 },
      { prometheus: false },
    );
    expect(v['slo/handshake/success-rate'].status).toBe('fail');
    expect(v['slo/handshake/success-rate'].evidence.sloVerdict).toBe('fail');
    expect(v['slo/handshake/success-rate'].evidence.failures, JSON.stringify(v['slo/handshake/success-rate'].evidence)).toBe(24);
    expect(v['slo/fallback-rate'].status).toBe('pass');
  });

  it('in-fallback (X0TTA6BL4_DISABLE_PQC=true) fails slo/fallback-rate', async () => {
    const v = await runOnMutant('in-fallback', { nodes: 3, handshakes: 60, ratePerSecond: 20, concurrency: 4 }, { prometheus: false });
    expect(v['slo/fallback-rate'].status).toBe('fail');
    expect(v['slo/fallback-rate'].evidence.classicalHandshakeShare).toBe(1);
    expect(v['slo/fallback-rate'].evidence.nodesFallbackEnabledMax).toBe(1);
    expect(v['slo/handshake/success-rate'].status).toBe('pass');
  });

  it('latency-in-ms (histogram in the wrong unit) fails slo/agreement with the real Prometheus running', async () => {
    const v = await runOnMutant('latency-in-ms', { nodes: 3, handshakes: 60, ratePerSecond: 20, concurrency: 4 });
    const a = v['slo/agreement'];
    expect(a.status).toBe('fail');
    // Every observation is >= 5 "seconds": the quantile is the highest finite bound, 5.
    expect((a.evidence.nodes as { p95Seconds: number }).p95Seconds).toBe(5);
    const byNode = Object.values((a.evidence.prometheus as { p95ByNode: Record<string, number> }).p95ByNode);
    expect(byNode).toEqual([5, 5, 5]);
    expect(a.reason).toMatch(/node histograms 5\.0000 s/);
  });
});
