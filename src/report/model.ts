// The certification report: the versioned JSON document every writer,
// policy and verifier reads. The zod schema is the source of truth.
import { z } from 'zod';
import type { CaseCounts, CheckResult, Evidence } from '../check/evidence.ts';

export const SCHEMA_VERSION = '1.0.0';

const caseCounts: z.ZodType<CaseCounts> = z.object({ total: z.number(), passed: z.number(), failed: z.number(), skipped: z.number() });

export const checkResultSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  status: z.enum(['pass', 'fail', 'skip']),
  backend: z.string().optional(),
  durationMs: z.number().nonnegative(),
  reason: z.string().optional(),
  evidence: z.looseObject({ cases: caseCounts.optional(), seed: z.number().optional() }),
});

export const certificationSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  command: z.enum(['kat', 'certify', 'selftest']),
  verdict: z.enum(['pass', 'fail']),
  /** Why the gate decided as it did, one line per reason. */
  verdictReasons: z.array(z.string()),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  seed: z.number().int(),
  profile: z.enum(['pr', 'release']),
  environment: z.object({ node: z.string(), os: z.string(), cpu: z.string(), cores: z.number() }),
  backends: z.array(z.object({ name: z.string(), version: z.string(), deterministic: z.boolean() })),
  vectorsDir: z.string().optional(),
  summary: caseCounts,
  checks: z.array(checkResultSchema),
});

export type CertificationReport = z.infer<typeof certificationSchema>;
/** A check as the report holds it: exactly the runner's CheckResult (src/check). */
export type ReportedCheck = CheckResult;

// The schema validates what the runner produces; these lines fail to compile
// when the two drift apart.
type Parsed = z.infer<typeof checkResultSchema>;
const _reportAcceptsResults = (r: CheckResult): Parsed => r;
const _resultsAcceptReport = (r: Parsed): CheckResult => ({ ...r, evidence: r.evidence as Evidence });
void _reportAcceptsResults;
void _resultsAcceptReport;
