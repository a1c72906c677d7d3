// The slo suite on real node processes: each mutant node command fails the
// matching check (the reference passes them all in certify-slo.test.ts).
// Loads are small except for the 2% mutant, which needs ~1 200 handshakes
// before a 95% interval can separate 98% from 99%.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNodeCommand } from '../../bench/slo/node-command.ts';
import type { Verdict } from '../../src/check/evidence.ts';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { createSloSuite, type LoadSize, type SloSuiteOptions } from '../../suites/slo/index.ts';

const NODES = join(import.meta.dirname, '../mutants/nodes');
const mutantCommand = (name: string) =>
  parseNodeCommand(`{node} --import tsx "${join(NODES, `${name}.ts`)}" --config {config} --exit-with-parent`);

async function runSuite(size: LoadSize, o: SloSuiteOptions = {}): Promise<Record<string, Verdict>> {
  const suite = createSloSuite({ ...o, sizes: { pr: size } });
  const env = { backends: [createNobleBackend()], profile: 'pr' as const, seed: 20261201 };
  const checks = await suite.checks(env);
  const out: Record<string, Verdict> = {};
  for (const c of checks) out[c.id] = await c.run({ seed: env.seed, profile: 'pr' });
  return out;
}

describe('slo suite on process meshes', () => {
  it('fails slo/handshake/p95 on a node that adds 150 ms to every handshake', async () => {
    const v = await runSuite(
      { nodes: 3, handshakes: 60, ratePerSecond: 20, concurrency: 8 },
      { command: mutantCommand('slow-handshake'), prometheus: false },
    );
    expect(v['slo/handshake/p95'].status).toBe('fail');
    expect(v['slo/handshake/p95'].reason).toMatch(/p95 handshake latency misses the SLO/);
    expect((v['slo/handshake/p95'].evidence.generatorSeconds as { lo: number }).lo).toBeGreaterThan(0.15);
    expect(v['slo/handshake/success-rate'].status).toBe('pass');
  });

  it('fails slo/handshake/success-rate on a node that fails 2% of handshakes', async () => {
    const v = await runSuite(
      { nodes: 3, handshakes: 1200, ratePerSecond: 80, concurrency: 8 },
      { command: mutantCommand('failing-handshakes'), prometheus: false },
    );
    expect(v['slo/handshake/success-rate'].status).toBe('fail');
    expect(v['slo/handshake/success-rate'].evidence.sloVerdict).toBe('fail');
    expect(v['slo/handshake/success-rate'].evidence.failures).toBe(24);
    expect(v['slo/fallback-rate'].status).toBe('pass');
  });

  it('fails slo/fallback-rate on a node running in fallback (X0TTA6BL4_DISABLE_PQC=true)', async () => {
    const v = await runSuite(
      { nodes: 3, handshakes: 60, ratePerSecond: 20, concurrency: 4 },
      { command: mutantCommand('in-fallback'), prometheus: false },
    );
    expect(v['slo/fallback-rate'].status).toBe('fail');
    expect(v['slo/fallback-rate'].evidence.classicalHandshakeShare).toBe(1);
    expect(v['slo/fallback-rate'].evidence.nodesFallbackEnabledMax).toBe(1);
    expect(v['slo/handshake/success-rate'].status).toBe('pass');
  });
});
