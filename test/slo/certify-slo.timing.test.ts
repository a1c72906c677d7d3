// `certify --only slo/` at pr size (SLO_SIZES.pr) on two worker processes:
// the reference mesh passes all five checks, and the four measured checks
// read one shared run (one mesh under load, not one per worker).
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
  }, 180_000);
});
