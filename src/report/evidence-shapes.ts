// Typed evidence that report sections read. Checks of other families emit
// these under the named evidence key (docs/architecture.md, "Evidence the
// report reads"); a writer reads them with safeParse, so a check that emits
// nothing, or something else, yields a "no data in this report" section,
// never a crash.
import { z } from 'zod';

/** evidence.latency (slo/*): handshake latency of one backend at one load level, in milliseconds. */
export const latencyEvidence = z.object({
  backend: z.string().optional(),
  /** Offered load, handshakes per second. */
  loadLevel: z.number().nonnegative().optional(),
  p50: z.number().nonnegative(),
  p95: z.number().nonnegative(),
  p99: z.number().nonnegative(),
  /** SLO threshold for p95, ms (the line drawn on the chart). */
  sloP95Ms: z.number().positive().optional(),
  /** Buckets: upper bound in ms (inclusive) and count of samples at most that, not cumulative. */
  histogram: z.array(z.object({ le: z.number(), count: z.number().int().nonnegative() })),
});
export type LatencyEvidence = z.infer<typeof latencyEvidence>;

/** evidence.timeline (chaos/*): what happened during a scenario, ms from its start. */
export const timelineEvidence = z.object({
  durationMs: z.number().nonnegative(),
  /** Nemesis windows: a partition, a poisoned link, a kill. */
  nemeses: z.array(z.object({ name: z.string(), startMs: z.number(), endMs: z.number() })),
  /** Membership per node over time: each entry starts a state that lasts until the next entry of that node. */
  membership: z.array(z.object({ node: z.string(), atMs: z.number(), state: z.enum(['majority', 'minority', 'down']) })),
  /** Committed critical events. */
  commits: z.array(z.object({ atMs: z.number(), node: z.string(), event: z.string() })),
  /** When every node agreed again, if it did. */
  convergedAtMs: z.number().optional(),
  outcome: z.enum(['valid', 'invalid', 'unknown']).optional(),
});
export type TimelineEvidence = z.infer<typeof timelineEvidence>;

/** evidence.killMatrix (selftest/*): which mutants each check family killed. */
export const killMatrixEvidence = z.object({
  families: z.array(z.string()),
  mutants: z.array(z.string()),
  /** cells[family][mutant]: killed, survived, or not applicable (mutant is not meant for that family). */
  cells: z.record(z.string(), z.record(z.string(), z.enum(['killed', 'survived', 'n/a']))),
  /** killed / (killed + survived), 0..1. */
  killRate: z.number().min(0).max(1),
});
export type KillMatrixEvidence = z.infer<typeof killMatrixEvidence>;

/** What each selftest/<family> check records (suites/selftest): every mutant aimed at the family and its outcome. */
export const selftestFamilyEvidence = z.object({
  family: z.string(),
  mutants: z.array(z.object({ mutant: z.string(), outcome: z.string() })),
});

/** One kill matrix from the per-family selftest checks: killed, survived, or n/a (not aimed at it, or not reached at this size). */
export function killMatrixFromSelftest(
  checks: readonly { id: string; evidence: Record<string, unknown> }[],
): KillMatrixEvidence | undefined {
  const rows = checks.flatMap((c) => {
    if (!c.id.startsWith('selftest/')) return [];
    const r = selftestFamilyEvidence.safeParse(c.evidence);
    return r.success ? [r.data] : [];
  });
  if (!rows.length) return undefined;
  const mutants = [...new Set(rows.flatMap((r) => r.mutants.map((m) => m.mutant)))].sort();
  const cells: KillMatrixEvidence['cells'] = {};
  let killed = 0;
  let survived = 0;
  for (const r of rows) {
    cells[r.family] = {};
    for (const m of r.mutants) {
      const v = m.outcome === 'killed' ? 'killed' : m.outcome === 'survived' ? 'survived' : 'n/a';
      cells[r.family][m.mutant] = v;
      if (v === 'killed') killed++;
      if (v === 'survived') survived++;
    }
  }
  return { families: rows.map((r) => r.family), mutants, cells, killRate: killed + survived ? killed / (killed + survived) : 1 };
}

/** evidence.negotiated (mesh/*, chaos/*, slo/*): cipher suites the nodes actually negotiated. */
export const negotiatedEvidence = z.array(
  z.object({ suite: z.string(), nistLevel: z.number().int().min(0).max(5), count: z.number().int().nonnegative() }),
);
export type NegotiatedEvidence = z.infer<typeof negotiatedEvidence>;

/** evidence.fallbackEpisodes (fallback/*, chaos/*): PQC fallback windows seen in a run. */
export const fallbackEpisodesEvidence = z.array(
  z.object({
    node: z.string(),
    reason: z.string(),
    durationMs: z.number().nonnegative(),
    endedBy: z.enum(['recovered', 'ttl', 'run-end']),
  }),
);
export type FallbackEpisodesEvidence = z.infer<typeof fallbackEpisodesEvidence>;

export const EVIDENCE_SHAPES = {
  latency: latencyEvidence,
  timeline: timelineEvidence,
  killMatrix: killMatrixEvidence,
  negotiated: negotiatedEvidence,
  fallbackEpisodes: fallbackEpisodesEvidence,
} as const;

export interface Shaped<T> {
  checkId: string;
  backend?: string;
  value: T;
}

/** Every check's evidence[key] that has the documented shape. Checks with a malformed value are listed apart. */
export function collectEvidence<K extends keyof typeof EVIDENCE_SHAPES>(
  checks: readonly { id: string; backend?: string; evidence: Record<string, unknown> }[],
  key: K,
): { found: Shaped<z.infer<(typeof EVIDENCE_SHAPES)[K]>>[]; malformed: string[] } {
  const found: Shaped<z.infer<(typeof EVIDENCE_SHAPES)[K]>>[] = [];
  const malformed: string[] = [];
  for (const c of checks) {
    if (c.evidence[key] === undefined) continue;
    const r = EVIDENCE_SHAPES[key].safeParse(c.evidence[key]);
    if (r.success) found.push({ checkId: c.id, backend: c.backend, value: r.data as z.infer<(typeof EVIDENCE_SHAPES)[K]> });
    else malformed.push(c.id);
  }
  return { found, malformed };
}
