// Runs checks one after another (each through src/check/run.ts, which times
// it and turns a crash into a failing result) and tells a progress listener
// what is happening.
import type { Check, CheckContext, CheckResult } from '../check/evidence.ts';
import { runCheck } from '../check/run.ts';

export { runCheck };

export interface ProgressListener {
  started?(check: Check, index: number, total: number): void;
  finished?(result: CheckResult, index: number, total: number): void;
}

/** Lets timers and the progress display run between CPU-bound checks. */
const breathe = () => new Promise<void>((r) => setImmediate(r));

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
