// The gate: turns check results into the run's verdict, with reasons.
import { isUnsupportedSkip, type CheckResult, type Profile } from '../check/evidence.ts';

export interface GateDecision {
  verdict: 'pass' | 'fail';
  reasons: string[];
}

const label = (r: CheckResult) => (r.backend ? `${r.id} [${r.backend}]` : r.id);

/**
 * Checks a backend cannot skip: every backend must show a round trip,
 * tamper resistance, implicit rejection and interop for what it offers.
 */
const MANDATORY = /^crypto\/(algorithms|roundtrip|negative|implicit-rejection|interop)(\/|$)/;

/**
 * pr: any failing check fails the gate, and so does a skipped mandatory
 * check or a backend with no passing check at all. release: so does any skip caused by
 * a missing input (vectors, tools); skips for capabilities a backend lacks by
 * design are reported but do not fail it.
 */
export function decide(results: readonly CheckResult[], profile: Profile): GateDecision {
  const reasons: string[] = [];
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length)
    reasons.push(`${failed.length} check(s) failed: ${failed.slice(0, 5).map(label).join(', ')}${failed.length > 5 ? ', …' : ''}`);
  reasons.push(...structuralReasons(results));
  if (profile === 'release') {
    const gaps = results.filter((r) => r.status === 'skip' && !isUnsupportedSkip(r));
    if (gaps.length)
      reasons.push(`release profile: ${gaps.length} check(s) skipped for missing input: ${gaps.slice(0, 5).map(label).join(', ')}`);
  }
  if (results.length === 0) reasons.push('no checks ran');
  return { verdict: reasons.length ? 'fail' : 'pass', reasons };
}

/**
 * What makes a run meaningless whatever the policy says: a mandatory check
 * skipped, a backend that passed nothing. Failing checks and release gaps
 * are the policy's to judge (src/policy, policies/report.yaml), so that a
 * waiver can accept them visibly.
 */
export function structuralReasons(results: readonly CheckResult[]): string[] {
  const reasons: string[] = [];
  const skippedMandatory = results.filter((r) => r.status === 'skip' && MANDATORY.test(r.id));
  if (skippedMandatory.length)
    reasons.push(`${skippedMandatory.length} mandatory check(s) skipped: ${skippedMandatory.slice(0, 5).map(label).join(', ')}`);
  const backends = [...new Set(results.flatMap((r) => (r.backend ? [r.backend] : [])))];
  for (const b of backends) {
    if (!results.some((r) => r.backend === b && r.status === 'pass')) reasons.push(`backend ${b} passed no check at all`);
  }
  return reasons;
}
