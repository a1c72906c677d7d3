// Every check id the harness can build has a severity with a source; an id
// without one is a harness error, and this test is where it shows.
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../src/harness/plan.ts';
import { SEVERITY_TABLE, severityOf } from '../../src/report/severity.ts';

const VECTORS = process.env.PQC_VECTORS_DIR;

describe('severity table', () => {
  it('covers every check id certify builds (all backends, release size, with vectors)', async () => {
    const run = await buildRun({
      command: 'certify',
      backends: ['noble', 'liboqs', 'pqclean'],
      profile: 'release',
      seed: 1,
      vectorsDir: VECTORS,
    });
    expect(run.checks.length).toBeGreaterThan(50);
    const missing = [...new Set(run.checks.map((c) => c.id))].filter((id) => !severityOf(id));
    expect(missing, 'add these ids (or their family prefix) to SEVERITY_TABLE in src/report/severity.ts').toEqual([]);
  });

  it('covers the families other issues add, by prefix, so their new ids get a severity', () => {
    const expected: Record<string, string> = {
      'kat/lint/acvp/ML-KEM-keyGen.json': 'harness',
      'selftest/kat': 'harness',
      'slo/handshake-latency/noble': 'slo',
      'control/gossip/forged-origin': 'protocol',
      'chaos/partition/majorities-ring': 'protocol',
      'mesh/handshake/downgrade': 'protocol',
      'fallback/ttl-fails-closed': 'protocol',
      'kat/wycheproof/ML-DSA-65/sign_noseed': 'hardening',
      'kat/acvp/ML-KEM-768/encapsulationKeyCheck': 'fips',
      'crypto/implicit-rejection/ML-KEM-768': 'fips',
    };
    for (const [id, sev] of Object.entries(expected)) expect(severityOf(id)?.severity, id).toBe(sev);
    expect(severityOf('kat/acvp/ML-KEM-768/encapsulationKeyCheck')?.source).toMatch(/FIPS 203 section 7\.2/);
    expect(severityOf('brand-new/x')).toBeUndefined();
  });

  it('matches whole segments only, the longest prefix wins, and every rule names its source', () => {
    expect(severityOf('meshy/thing')).toBeUndefined();
    expect(severityOf('crypto/algorithms')?.severity).toBe('harness');
    expect(severityOf('crypto/roundtrip/ML-DSA-44')?.source).toMatch(/FIPS 204 section 5/);
    for (const r of SEVERITY_TABLE) expect(r.source.length, r.prefix).toBeGreaterThan(10);
    expect(new Set(SEVERITY_TABLE.map((r) => r.prefix)).size).toBe(SEVERITY_TABLE.length);
  });
});
