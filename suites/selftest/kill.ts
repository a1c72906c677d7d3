// Judges one check family: the reference must pass every check in it, and
// every mutant aimed at it must make at least one of them fail. A mutant
// run stops at its first failing check: one kill is all selftest needs.
import type { Check, CheckContext, CheckResult, Profile } from '../../src/check/evidence.ts';
import { familyOfCheck } from '../../src/check/family.ts';
import { runCheck } from '../../src/check/run.ts';
import type { HarnessSuite, SuiteEnv } from '../env.ts';
import type { MutantSpec } from '../mutant.ts';
import { envWithMutant } from './subject.ts';

export type Outcome = 'killed' | 'survived' | 'not-reached';

export interface MutantOutcome {
  mutant: string;
  kind: MutantSpec['kind'];
  outcome: Outcome;
  /** The check that failed on the mutant, and why. */
  by?: string;
  reason?: string;
}

export interface FamilyJudgement {
  family: string;
  reference: {
    checks: number;
    skipped: number;
    failed: { id: string; backend?: string; reason?: string }[];
    /** Not run here: the certification run's own checks of the family are the reference (Suite.sizeIndependent). */
    judgedByRun?: string[];
  };
  mutants: MutantOutcome[];
}

const label = (r: CheckResult) => (r.backend ? `${r.id} [${r.backend}]` : r.id);

/** The checks of one family that the suites build for an environment. */
export async function familyChecks(suites: readonly HarnessSuite[], env: SuiteEnv, family: string): Promise<Check[]> {
  const out: Check[] = [];
  for (const suite of suites) {
    // Only suites whose checks can be in the family are built.
    if (!family.startsWith(`${suite.name}/`) && family !== suite.name) continue;
    for (const c of await suite.checks(env)) if (familyOfCheck(c) === family) out.push(c);
  }
  return out;
}

async function firstFailure(checks: readonly Check[], ctx: CheckContext): Promise<CheckResult | undefined> {
  for (const c of checks) {
    const r = await runCheck(c, ctx);
    if (r.status === 'fail') return r;
  }
  return undefined;
}

/**
 * A mutant node that exits before it is ready never ran its defect: the check
 * failing on that proves nothing about the check, so it is not a kill. (The
 * failing-handshakes mutant once named its seam by a .ts path, which a node
 * started from the prebuilt bundle cannot load, and "killed" its family so.)
 */
const NODE_DID_NOT_START = /^check crashed: node \S+ exited with code \S+ before its ready line/;

/** Is a defect reachable at this profile's sizes? */
const reachable = (m: MutantSpec, profile: Profile) => !m.profiles || m.profiles.includes(profile);

/**
 * The size a mutant runs at: its own, else the smallest that reaches it. A
 * defect plain at pr size does not need a release-size run to be shown
 * (the full-size runs of negative/lengths and kat/accumulated cost minutes each).
 */
const sizeFor = (m: MutantSpec): Profile => m.size ?? (reachable(m, 'pr') ? 'pr' : 'release');

export async function judgeFamily(
  family: string,
  suites: readonly HarnessSuite[],
  env: SuiteEnv,
  mutants: readonly MutantSpec[],
  ctx: CheckContext,
  referenceIsTheRun = false,
): Promise<FamilyJudgement> {
  // The reference runs at pr size: its full-size run is certify itself.
  const refCtx: CheckContext = { ...ctx, profile: 'pr' };
  const reference: FamilyJudgement['reference'] = { checks: 0, skipped: 0, failed: [] };
  const own = await familyChecks(suites, env, family);
  if (referenceIsTheRun) reference.judgedByRun = own.map((c) => c.id);
  for (const c of referenceIsTheRun ? [] : own) {
    reference.checks++;
    const r = await runCheck(c, refCtx);
    if (r.status === 'skip') reference.skipped++;
    if (r.status === 'fail') reference.failed.push({ id: r.id, ...(r.backend ? { backend: r.backend } : {}), reason: r.reason });
  }
  const outcomes: MutantOutcome[] = [];
  // A family whose input is missing (no vectors, no tool) cannot be judged: its mutants would only skip too.
  if (reference.checks > 0 && reference.skipped === reference.checks) return { family, reference, mutants: outcomes };
  for (const m of mutants) {
    if (!reachable(m, ctx.profile)) {
      outcomes.push({ mutant: m.name, kind: m.kind, outcome: 'not-reached', reason: `reachable only at ${m.profiles?.join('/')} size` });
      continue;
    }
    const judgedEnv: SuiteEnv = m.verdicts ? { ...env, profile: m.verdicts } : env;
    const checks = await familyChecks(suites, await envWithMutant(judgedEnv, m), family);
    const killer = await firstFailure(checks, { ...ctx, profile: sizeFor(m) });
    outcomes.push(
      !killer
        ? { mutant: m.name, kind: m.kind, outcome: 'survived', reason: `all ${checks.length} check(s) of the family passed` }
        : NODE_DID_NOT_START.test(killer.reason ?? '')
          ? {
              mutant: m.name,
              kind: m.kind,
              outcome: 'survived',
              reason: `the mutant node did not start (${label(killer)}): ${killer.reason}`,
            }
          : { mutant: m.name, kind: m.kind, outcome: 'killed', by: label(killer), reason: killer.reason },
    );
  }
  return { family, reference, mutants: outcomes };
}
