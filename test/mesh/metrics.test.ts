import { spawnSync } from 'node:child_process';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  FALLBACK_CAUSES,
  HANDSHAKE_FAILURE_REASONS,
  HANDSHAKE_LATENCY_BUCKETS,
  KEY_ROTATION_FAILURE_REASONS,
  MeshMetrics,
} from '../../src/mesh/metrics.ts';
import type { HandshakeFailureReason } from '../../src/mesh/metrics.ts';

/** Value of the sample `series` (name plus label block exactly as exposed), or undefined when absent. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const promtoolPath = ((): string | undefined => {
  const which = spawnSync('which', ['promtool'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
})();

function promtoolCheck(exposition: string): { status: number | null; output: string } {
  const run = spawnSync(promtoolPath!, ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const REQUIRED_NAMES = [
  'pqc_handshake_success_total',
  'pqc_handshake_failure_total',
  'pqc_handshake_latency_seconds',
  'pqc_fallback_enabled',
  'key_rotation_success_total',
  'key_rotation_failure_total',
  'mesh_sessions_active',
  'mesh_peers_reachable',
];

describe('MeshMetrics', () => {
  it('exposes every required metric with a help text and the right type', async () => {
    const text = await new MeshMetrics().exposition();
    for (const name of REQUIRED_NAMES) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S.{10,}$`, 'm'));
    }
    expect(text).toContain('# TYPE pqc_handshake_success_total counter');
    expect(text).toContain('# TYPE pqc_handshake_failure_total counter');
    expect(text).toContain('# TYPE pqc_handshake_latency_seconds histogram');
    expect(text).toContain('# TYPE pqc_fallback_enabled gauge');
    expect(text).toContain('# TYPE key_rotation_success_total counter');
    expect(text).toContain('# TYPE key_rotation_failure_total counter');
    expect(text).toContain('# TYPE mesh_sessions_active gauge');
  });

  it('has exactly the agreed latency buckets', async () => {
    expect(HANDSHAKE_LATENCY_BUCKETS).toEqual([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]);
    const text = await new MeshMetrics().exposition();
    const les = [...text.matchAll(/^pqc_handshake_latency_seconds_bucket\{le="([^"]+)"\}/gm)].map((m) => m[1]);
    expect(les).toEqual(['0.001', '0.005', '0.01', '0.05', '0.1', '0.5', '1', '5', '+Inf']);
  });

  it('pre-creates every failure reason and cause at 0', async () => {
    for (const reason of [
      'bad_signature',
      'unknown_ca',
      'downgrade',
      'decap_mismatch',
      'timeout',
      'bad_frame',
      'replay',
      'key_desync',
      'policy',
      'fallback_expired',
      'internal',
    ]) {
      expect(HANDSHAKE_FAILURE_REASONS).toContain(reason);
    }
    const text = await new MeshMetrics().exposition();
    for (const reason of HANDSHAKE_FAILURE_REASONS) {
      expect(sample(text, `pqc_handshake_failure_total{reason="${reason}"}`)).toBe(0);
    }
    for (const reason of KEY_ROTATION_FAILURE_REASONS) {
      expect(sample(text, `key_rotation_failure_total{reason="${reason}"}`)).toBe(0);
    }
    for (const cause of FALLBACK_CAUSES) {
      expect(sample(text, `pqc_fallback_failures_total{cause="${cause}"}`)).toBe(0);
    }
    expect(sample(text, 'pqc_handshake_success_total')).toBe(0);
    expect(sample(text, 'pqc_fallback_enabled')).toBe(0);
    expect(sample(text, 'mesh_sessions_active')).toBe(0);
  });

  it('counts handshakes, latency, rotations, fallback and gauges', async () => {
    const metrics = new MeshMetrics();
    metrics.handshakeSucceeded(0.02);
    metrics.handshakeSucceeded(0.2);
    metrics.handshakeFailed('downgrade', 0.003);
    metrics.handshakeFailed('fallback_expired');
    metrics.rotationSucceeded();
    metrics.rotationFailed('timeout');
    metrics.setFallback(true);
    metrics.setSessions(4);
    metrics.setPeersReachable(2);
    const text = await metrics.exposition();
    expect(sample(text, 'pqc_handshake_success_total')).toBe(2);
    expect(sample(text, 'pqc_handshake_failure_total{reason="downgrade"}')).toBe(1);
    expect(sample(text, 'pqc_handshake_failure_total{reason="fallback_expired"}')).toBe(1);
    expect(sample(text, 'pqc_handshake_failure_total{reason="replay"}')).toBe(0);
    // Three latencies observed (the refused handshake has none): 0.003, 0.02, 0.2.
    expect(sample(text, 'pqc_handshake_latency_seconds_bucket{le="0.001"}')).toBe(0);
    expect(sample(text, 'pqc_handshake_latency_seconds_bucket{le="0.005"}')).toBe(1);
    expect(sample(text, 'pqc_handshake_latency_seconds_bucket{le="0.05"}')).toBe(2);
    expect(sample(text, 'pqc_handshake_latency_seconds_bucket{le="0.5"}')).toBe(3);
    expect(sample(text, 'pqc_handshake_latency_seconds_count')).toBe(3);
    expect(sample(text, 'pqc_handshake_latency_seconds_sum')).toBeCloseTo(0.223, 9);
    expect(sample(text, 'key_rotation_success_total')).toBe(1);
    expect(sample(text, 'key_rotation_failure_total{reason="timeout"}')).toBe(1);
    expect(sample(text, 'pqc_fallback_enabled')).toBe(1);
    expect(sample(text, 'mesh_sessions_active')).toBe(4);
    expect(sample(text, 'mesh_peers_reachable')).toBe(2);
    metrics.setFallback(false);
    expect(sample(await metrics.exposition(), 'pqc_fallback_enabled')).toBe(0);
  });

  it('records an unknown reason as internal instead of growing the label set', async () => {
    const metrics = new MeshMetrics();
    metrics.handshakeFailed('made_up_reason' as HandshakeFailureReason);
    const text = await metrics.exposition();
    expect(sample(text, 'pqc_handshake_failure_total{reason="internal"}')).toBe(1);
    expect(text).not.toContain('made_up_reason');
  });

  it('rejects negative or non-finite latencies and counts', () => {
    const metrics = new MeshMetrics();
    expect(() => metrics.handshakeSucceeded(-1)).toThrow(RangeError);
    expect(() => metrics.handshakeFailed('timeout', Number.NaN)).toThrow(RangeError);
    expect(() => metrics.setSessions(-2)).toThrow(RangeError);
  });

  it('keeps each node in its own registry, never the global one', async () => {
    const a = new MeshMetrics();
    const b = new MeshMetrics();
    a.handshakeSucceeded(0.01);
    expect(sample(await a.exposition(), 'pqc_handshake_success_total')).toBe(1);
    expect(sample(await b.exposition(), 'pqc_handshake_success_total')).toBe(0);
    expect(globalRegistry.getSingleMetric('pqc_handshake_success_total')).toBeUndefined();
  });

  it('serves the Prometheus text content type and optional default labels', async () => {
    const metrics = new MeshMetrics({ defaultLabels: { node: 'n1' } });
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.exposition()).toContain('pqc_handshake_success_total{node="n1"} 0');
  });

  describe('promtool check metrics', () => {
    it.skipIf(!promtoolPath)('passes on a busy exposition with process metrics', async () => {
      const metrics = new MeshMetrics({ processMetricsPrefix: 'mesh_node_', defaultLabels: { node: 'n1' } });
      metrics.handshakeSucceeded(0.004);
      metrics.handshakeFailed('bad_signature', 0.7);
      metrics.rotationFailed('key_desync');
      metrics.setFallback(true);
      const text = await metrics.exposition();
      expect(text).toContain('mesh_node_process_cpu_user_seconds_total');
      const result = promtoolCheck(text);
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });

    it.skipIf(!promtoolPath)('is a real check: it rejects a counter without _total', () => {
      const bad = '# HELP bad_counter x\n# TYPE bad_counter counter\nbad_counter 1\n';
      const result = promtoolCheck(bad);
      expect(result.output).toMatch(/counter metrics should have "_total" suffix/);
    });

    it.runIf(!promtoolPath)('promtool missing: skipped; install with apt-get install -y prometheus', () => {
      console.warn('promtool not found: skipping `promtool check metrics`; install it with `apt-get install -y prometheus`');
    });
  });
});
