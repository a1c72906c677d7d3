// `certify --only slo/` at pr size (SLO_SIZES.pr) on two worker processes:
// the reference mesh passes all five checks, and the four measured checks
// read one shared run (one mesh under load, not one per worker), whose mesh
// the pool started ahead with the checks' prepare step.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLO_SIZES } from '../../bench/slo/targets.ts';
import { runHarness } from '../../src/harness/certify.ts';

describe('certify slo/', () => {
  it('passes on the reference mesh with one shared measurement across workers', async () => {
    const { report } = await runHarness({
      command: 'certify',
      backends: ['noble'],
      profile: 'pr',
      seed: 4242,
      only: 'slo/',
      outDir: mkdtempSync(join(tmpdir(), 'slo-certify-')),
      jobs: 2,
    });
    expect(report.checks.map((c) => c.id)).toEqual([
      'slo/handshake/success-rate',
      'slo/handshake/p95',
      'slo/fallback-rate',
      'slo/agreement',
      'slo/rules',
    ]);
    for (const c of report.checks) expect(c.status, `${c.id}: ${c.reason}`).toBe('pass');
    const measured = report.checks.filter((c) => c.id !== 'slo/rules');
    expect((measured[0].evidence.settings as { handshakes: number }).handshakes).toBe(SLO_SIZES.pr.handshakes);
    for (const c of measured) expect(c.evidence.latencyMs).toEqual(measured[0].evidence.latencyMs);
    // The pool ran the prepare step: the mesh was started before the load's turn, not by it.
    expect(measured[0].evidence.preparedAhead).toBe(true);
  }, 180_000);

  it('a mesh that fails to start in the prepare step fails the measured checks with the reason, naming the command', async () => {
    const { report } = await runHarness({
      command: 'certify',
      backends: ['noble'],
      profile: 'pr',
      seed: 4243,
      only: 'slo/handshake/p95',
      nodeCommand: `"${process.execPath}" -e "process.exit(3)" {config}`,
      outDir: mkdtempSync(join(tmpdir(), 'slo-certify-')),
      jobs: 2,
    });
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0].status).toBe('fail');
    expect(report.checks[0].reason).toMatch(/exited with code 3/);
    expect(report.checks[0].reason).toContain('process.exit(3)');
  }, 60_000);
});
