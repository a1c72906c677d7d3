// Runs one check: times it and turns a crash into a failing result. It sits
// at the bottom so the runner, the worker pool and selftest (which runs
// checks against mutants from inside a check) all judge a crash the same way.
import { fail, type Check, type CheckContext, type CheckResult, type Verdict } from './evidence.ts';
import { UnsupportedCapabilityError } from './unsupported.ts';

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
