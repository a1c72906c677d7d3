// Runs checks one after another, timing each and turning a crash into a
// failing result, and tells a progress listener what is happening.
import { UnsupportedCapabilityError } from '../crypto/backend.ts';
import { fail, type Check, type CheckContext, type CheckResult, type Verdict } from '../check/evidence.ts';

export interface ProgressListener {
  started?(check: Check, index: number, total: number): void;
  finished?(result: CheckResult, index: number, total: number): void;
}

async function verdictOf(check: Check, ctx: CheckContext): Promise<Verdict> {
  try {
    return await check.run(ctx);
  } catch (e) {
    // A check that may skip for a missing capability says so itself; one that
    // lets the refusal escape was asking for something mandatory.
    if (e instanceof UnsupportedCapabilityError) return fail(`backend refused a mandatory operation: ${e.message}`);
    const err = e as Error;
    // A check must return fail for a bad implementation; a throw is a crash of the implementation or the check.
    return { status: 'fail', reason: `check crashed: ${err.message}`, evidence: { error: err.stack ?? String(err) } };
  }
}

/** Lets timers and the progress display run between CPU-bound checks. */
const breathe = () => new Promise<void>((r) => setImmediate(r));

/** Runs one check: times it and turns a crash into a failing result. */
export async function runCheck(check: Check, ctx: CheckContext): Promise<CheckResult> {
  const t0 = performance.now();
  const verdict = await verdictOf(check, ctx);
  return {
    id: check.id,
    title: check.title,
    ...(check.backend !== undefined ? { backend: check.backend } : {}),
    durationMs: Math.round((performance.now() - t0) * 10) / 10,
    ...verdict,
  };
}

export async function runChecks(checks: readonly Check[], ctx: CheckContext, progress: ProgressListener = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [i, check] of checks.entries()) {
    progress.started?.(check, i, checks.length);
    await breathe();
    const result = await runCheck(check, ctx);
    results.push(result);
    progress.finished?.(result, i, checks.length);
  }
  return results;
}
