// What CEL rules see as `report`: the report with every check given its
// family and severity and every optional field filled, so a rule never needs
// has() for the fields documented here (docs/architecture.md, "Policies").
import type { CertificationReport } from '../report/model.ts';
import { familyOf } from '../check/family.ts';
import { severityOf } from '../report/severity.ts';
import { collectEvidence } from '../report/evidence-shapes.ts';

export interface PolicyCheck {
  id: string;
  family: string;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  backend: string;
  reason: string;
  /** fips | hardening | protocol | slo | harness, or "" when the table has none. */
  severity: string;
  /** A skip for a capability the backend lacks by design. */
  unsupported: boolean;
  evidence: Record<string, unknown>;
}

export interface PolicyReport {
  command: string;
  profile: string;
  verdictReasons: string[];
  backends: { name: string; version: string; deterministic: boolean }[];
  checks: PolicyCheck[];
  /** Suites the mesh negotiated (evidence.negotiated of every check, summed per suite). */
  negotiated: { suite: string; nistLevel: number; count: number }[];
}

export function reportInput(r: CertificationReport): PolicyReport {
  const checks = r.checks.map(
    (c): PolicyCheck => ({
      id: c.id,
      family: familyOf(c.id),
      title: c.title,
      status: c.status,
      backend: c.backend ?? '',
      reason: c.reason ?? '',
      severity: severityOf(c.id)?.severity ?? '',
      unsupported: c.evidence.unsupported === true,
      evidence: c.evidence,
    }),
  );
  const bySuite = new Map<string, { suite: string; nistLevel: number; count: number }>();
  for (const { value } of collectEvidence(r.checks, 'negotiated').found) {
    for (const n of value) {
      const cur = bySuite.get(n.suite) ?? { suite: n.suite, nistLevel: n.nistLevel, count: 0 };
      cur.count += n.count;
      bySuite.set(n.suite, cur);
    }
  }
  return {
    command: r.command,
    profile: r.profile,
    verdictReasons: r.verdictReasons,
    backends: r.backends,
    checks,
    negotiated: [...bySuite.values()],
  };
}
