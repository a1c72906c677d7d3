// The selftest suite: one check per family of the judged suites, passing
// only when the reference passes the family and every mutant aimed at it
// makes it fail. It is how a certification report proves the harness's own
// power (`pqc-harness selftest`, and `certify --profile release`).
import { fail, pass, skip, type Check } from '../../src/check/evidence.ts';
import { familyOfCheck } from '../../src/check/family.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import type { HarnessSuite, SuiteEnv } from '../env.ts';
import { CERTIFY_SUITES, MUTANTS } from '../index.ts';
import type { MutantSpec } from '../mutant.ts';
import { judgeFamily, type FamilyJudgement } from './kill.ts';
import { pino } from 'pino';

/** The harness's own reference backends: selftest judges the harness, not the backend a user certifies. */
const REFERENCE_BACKENDS = ['noble', 'liboqs'] as const;

let reference: Promise<CryptoBackend[]> | undefined;
const referenceBackends = () => {
  const quiet = pino({ level: 'silent' });
  reference ??= Promise.all(REFERENCE_BACKENDS.map((b) => loadBackend(b, { logger: quiet })));
  return reference;
};

function verdictOf(j: FamilyJudgement, aimed: readonly MutantSpec[]) {
  const evidence = { family: j.family, reference: j.reference, mutants: j.mutants };
  if (!aimed.length) return fail(`no mutant makes ${j.family} fail: declare one in the suite's mutants.ts`, evidence);
  if (j.reference.checks === 0 && !j.reference.judgedByRun?.length) return fail(`the reference builds no check in ${j.family}`, evidence);
  if (j.reference.checks > 0 && j.reference.skipped === j.reference.checks)
    return skip(`cannot judge ${j.family}: every reference check skipped (missing input)`, evidence);
  if (j.reference.failed.length) {
    const f = j.reference.failed[0];
    return fail(`the reference fails ${j.reference.failed.length} check(s), first ${f.id}: ${f.reason ?? ''}`, evidence);
  }
  const survivors = j.mutants.filter((m) => m.outcome === 'survived');
  if (survivors.length) return fail(`mutant(s) survived: ${survivors.map((m) => m.mutant).join(', ')}`, evidence);
  if (!j.mutants.some((m) => m.outcome === 'killed')) return skip('every mutant aimed at this family needs release sizes', evidence);
  return pass(evidence);
}

export function buildSelftestSuite(
  judged: readonly HarnessSuite[] = CERTIFY_SUITES,
  mutants: readonly MutantSpec[] = MUTANTS,
): HarnessSuite {
  return {
    name: 'selftest',
    async checks(runEnv: SuiteEnv): Promise<Check[]> {
      const env: SuiteEnv = {
        ...runEnv,
        backends: await referenceBackends(),
        protocol: undefined,
        fallback: undefined,
        control: undefined,
        nodeCommand: undefined,
        rulesFile: undefined,
        controlModule: undefined,
        runIds: undefined,
      };
      // The families are those of the run's profile; their checks are built at pr size (selftest judges the
      // harness's power, and a release-size reference is the certification itself): e.g. 3 control nodes, not 5 and 7.
      const judgingEnv: SuiteEnv = { ...env, profile: 'pr' };
      const families = new Set<string>();
      // Families of a size-independent suite whose every check this run already holds: those checks are the reference.
      const judgedByRun = new Set<string>();
      const hints = new Map<string, NonNullable<Check['schedule']>>();
      const ranOnReference = !runEnv.nodeCommand && runEnv.backends[0]?.name === REFERENCE_BACKENDS[0];
      const notInRun = new Set<string>();
      for (const suite of judged)
        for (const c of await suite.checks(env)) {
          const family = familyOfCheck(c);
          families.add(family);
          // A family of real-process or timed checks is started first, on the foreground worker (pool.ts).
          // alone becomes long: the mutants' defects are gross (+150 ms, 2% failures), and the reference's
          // pr-size load is measured beside a niced worker at most.
          if (c.schedule?.long || c.schedule?.alone) hints.set(family, { long: true });
          if (suite.sizeIndependent && ranOnReference && runEnv.runIds?.has(c.id)) judgedByRun.add(family);
          else notInRun.add(family);
        }
      for (const family of notInRun) judgedByRun.delete(family);
      const checks: Check[] = [...families].sort().map((family) => {
        const aimed = mutants.filter((m) => m.kills.includes(family));
        return {
          id: `selftest/${family}`,
          family: 'selftest',
          title: `every mutant aimed at ${family} makes it fail; the reference passes it`,
          ...(hints.has(family) ? { schedule: hints.get(family) } : {}),
          run: async (ctx) => verdictOf(await judgeFamily(family, judged, judgingEnv, aimed, ctx, judgedByRun.has(family)), aimed),
        };
      });
      // A mutant aimed at a family no check has is a stale declaration: it proves nothing.
      for (const m of mutants)
        for (const family of m.kills.filter((f) => !families.has(f)))
          checks.push({
            id: `selftest/${family}`,
            family: 'selftest',
            title: `mutant ${m.name} is aimed at an existing family`,
            run: () => fail(`mutant ${m.name} names family ${family}, which no check of this run has`, { mutant: m.name, family }),
          });
      return checks;
    },
  };
}

export const selftestSuite: HarnessSuite = buildSelftestSuite();
