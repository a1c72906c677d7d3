// What a check returns. This module sits at the bottom of the dependency
// graph: checks, the runner, reports and policies all import it.

export type Status = 'pass' | 'fail' | 'skip';
export type Profile = 'pr' | 'release';

export interface CaseCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

/** The first failing case of a vector or property check, enough to find and replay it. */
export interface Mismatch {
  /** Human name of the case: "tcId 17", "count 3", "fast-check run 12". */
  case: string;
  file?: string;
  tcId?: number;
  field?: string;
  /** First differing byte offset, when both sides are byte strings. */
  offset?: number;
  /** Short hex prefixes around the first difference. */
  expected?: string;
  actual?: string;
  message?: string;
}

export interface VectorFile {
  path: string;
  sha256: string;
}

/**
 * Structured evidence. Well-known fields are typed; a check may add others
 * (timings, seeds, backend versions) as plain JSON values.
 */
export interface Evidence {
  cases?: CaseCounts;
  firstFailure?: Mismatch;
  files?: VectorFile[];
  seed?: number;
  [key: string]: unknown;
}

export interface Verdict {
  status: Status;
  /** Why a check failed or was skipped, one line. */
  reason?: string;
  evidence: Evidence;
}

export interface CheckResult extends Verdict {
  id: string;
  title: string;
  backend?: string;
  durationMs: number;
}

export interface CheckContext {
  /** Root seed of the run; a check derives its own randomness from it. */
  seed: number;
  profile: Profile;
  /** Directory holding known-answer vector files, or undefined when none is configured. */
  vectorsDir?: string;
}

/** A named, self-contained verification step. run() must not throw for a failing implementation: it returns fail. */
export interface Check {
  id: string;
  title: string;
  backend?: string;
  /** Its family, when the id alone does not say it (see src/check/family.ts). */
  family?: string;
  /** How a worker pool schedules it (src/harness/schedule.ts); no effect in one process. */
  schedule?: {
    /** Holds a worker for many seconds (real processes): started first. */
    long?: boolean;
    /** Key of an expensive run it shares with other checks: they all go to the worker that made it. */
    shares?: string;
    /** Measures time: runs with no other check beside it. */
    alone?: boolean;
  };
  /**
   * Starts what an alone check's run() needs without measuring anything (a
   * mesh under test), so it runs beside other checks while the check waits
   * for its turn. A pool calls it at most once, on the worker that then runs
   * the check, and does not wait for it: that worker takes other checks
   * meanwhile, so what it starts must not need this process's event loop
   * on time. run() awaits what it started, and must work without it (one
   * process never calls it).
   */
  prepare?(ctx: CheckContext): Promise<void>;
  run(ctx: CheckContext): Promise<Verdict> | Verdict;
}

export function pass(evidence: Evidence = {}): Verdict {
  return { status: 'pass', evidence };
}

export function fail(reason: string, evidence: Evidence = {}): Verdict {
  return { status: 'fail', reason, evidence };
}

/** Skipped because an input is missing (vectors, a tool): the release gate counts this against the run. */
export function skip(reason: string, evidence: Evidence = {}): Verdict {
  return { status: 'skip', reason, evidence };
}

/**
 * Skipped because the backend lacks the capability by design (no context
 * API, not deterministic). A fact about the backend, shown in the report,
 * not a gap in the run, so the release gate does not fail on it.
 */
export function unsupported(reason: string, evidence: Evidence = {}): Verdict {
  return { status: 'skip', reason, evidence: { ...evidence, unsupported: true } };
}

export function isUnsupportedSkip(v: Verdict): boolean {
  return v.status === 'skip' && v.evidence.unsupported === true;
}
