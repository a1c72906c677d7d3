// The certification report: the versioned JSON document every writer,
// policy and verifier reads. The zod schema is the source of truth.
import { z } from 'zod';
import type { CaseCounts, CheckResult, Evidence } from '../check/evidence.ts';
import { SEVERITIES } from './severity.ts';

/** 1.1.0: adds `policy` (severities, rule violations, waivers, warnings). */
export const SCHEMA_VERSION = '1.1.0';

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

const severity = z.enum(SEVERITIES);

export const waiverSchema = z.strictObject({
  /** A policy rule id or a check id (prefix on whole segments: "kat/wycheproof/ML-DSA-65"). */
  id: z.string().min(1),
  scope: z.strictObject({ backend: z.string().min(1).optional(), mesh: z.string().min(1).optional() }).default({}),
  reason: z.string().min(1),
  owner: z.string().min(1),
  /** Mandatory, an ISO date (YYYY-MM-DD, end of that day UTC) or date-time, at most 90 days ahead. */
  expires: z.string().min(1),
});
export type Waiver = z.infer<typeof waiverSchema>;

/** The instant a waiver stops applying: a bare date means the end of that day, UTC; NaN if unparseable. */
export function expiryInstant(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}

export const violationSchema = z.object({
  rule: z.string(),
  message: z.string(),
  severity,
  /** Where the severity comes from: the FIPS section, corpus, protocol clause, or the rule. */
  source: z.string(),
  /** fail: counts against the verdict unless waived; warn: shown, never fails. */
  action: z.enum(['fail', 'warn']),
  check: z.string().optional(),
  backend: z.string().optional(),
  /** Index into policy.waivers of the active waiver that accepts this violation. */
  waivedBy: z.number().int().nonnegative().optional(),
});
export type Violation = z.infer<typeof violationSchema>;

export const policySectionSchema = z.object({
  /** passed-with-waivers: every failing violation is waived by an active waiver. */
  outcome: z.enum(['passed', 'passed-with-waivers', 'failed']),
  /** Policy files applied ("builtin:report.yaml" for the built-in set) and the SHA-256 over their bytes. */
  sources: z.array(z.string()),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  violations: z.array(violationSchema),
  waivers: z.array(waiverSchema.extend({ status: z.enum(['active', 'expired', 'unmatched']) })),
  warnings: z.array(z.string()),
});
export type PolicySection = z.infer<typeof policySectionSchema>;

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
  /** The policy verdict; absent for reports written before policies applied (kat without --policy). */
  policy: policySectionSchema.optional(),
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
