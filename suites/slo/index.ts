// The slo suite: the mesh team's SLO measured on a mesh started by the run's
// node command (env.nodeCommand, default the reference node): success rate,
// p95, fallback rate, the agreement of three measurements, and the alert
// rules under promtool.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNodeCommand, referenceNodeCommand } from '../../bench/slo/node-command.ts';
import { loadSlo, prepareSlo, type PreparedSlo, type SloRunResult } from '../../bench/slo/run.ts';
import { SLO_SIZES, type LoadSize } from '../../bench/slo/targets.ts';
import type { Check, CheckContext, Profile } from '../../src/check/evidence.ts';

export { SLO_SIZES, type LoadSize };
import { deriveSeed } from '../../src/check/property.ts';
import type { HarnessSuite, SuiteEnv } from '../env.ts';
import { checkAgreement, checkFallbackRate, checkP95, checkSuccessRate } from './checks.ts';
import { checkRules, RULES_FILE } from './rules.ts';
import { sharedRun } from './shared-run.ts';

export interface SloSuiteOptions {
  /** Load sizes per profile (tests use smaller ones). */
  sizes?: Partial<Record<Profile, LoadSize>>;
  /** Run the real Prometheus (default true; slo/agreement fails without it). */
  prometheus?: boolean;
}

/**
 * The four measured checks read one load run (shared-run.ts), and it measures
 * latency: one worker makes it with no other check competing for the cores.
 * Starting its mesh and Prometheus measures nothing: their prepare step runs
 * it beside the last short checks (src/harness/schedule.ts).
 */
const MEASURED = { alone: true, shares: 'slo/load' } as const;

export function createSloSuite(o: SloSuiteOptions = {}): HarnessSuite {
  return {
    name: 'slo',
    checks: (env: SuiteEnv): Check[] => {
      const command = env.nodeCommand ? parseNodeCommand(env.nodeCommand) : referenceNodeCommand();
      const prometheus = o.prometheus ?? true;
      // The size is the running profile's: selftest runs a pr-size reference inside a release run.
      const runOf = (ctx: CheckContext) => {
        const size = o.sizes?.[ctx.profile] ?? SLO_SIZES[ctx.profile];
        const seed = deriveSeed(ctx.seed, 'slo');
        return { size, seed, key: JSON.stringify({ command: command.text, size, seed, prometheus }) };
      };
      // The mesh of a run, started by the prepare step (a pool runs it beside the last short checks) or by the load itself.
      const prepared = new Map<string, Promise<{ dir: string; mesh: PreparedSlo; ahead: boolean }>>();
      const prepare = (ctx: CheckContext, ahead: boolean) => {
        const { size, seed, key } = runOf(ctx);
        let p = prepared.get(key);
        if (!p) {
          const dir = mkdtempSync(join(tmpdir(), 'pqc-slo-'));
          p = prepareSlo({ dir, ...size, arrival: 'poisson', seed, command, backend: env.backends[0], prometheus }).then(
            (mesh) => ({ dir, mesh, ahead }),
            (e: unknown) => {
              rmSync(dir, { recursive: true, force: true });
              throw e;
            },
          );
          p.catch(() => undefined);
          prepared.set(key, p);
        }
        return p;
      };
      const measure = (ctx: CheckContext): Promise<SloRunResult> => {
        const { key } = runOf(ctx);
        return sharedRun(key, async () => {
          const { dir, mesh, ahead } = await prepare(ctx, false).finally(() => prepared.delete(key));
          try {
            return { ...(await loadSlo(mesh)).result, preparedAhead: ahead };
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        });
      };
      const early = async (ctx: CheckContext) => {
        await prepare(ctx, true);
      };
      return [
        {
          id: 'slo/handshake/success-rate',
          schedule: MEASURED,
          prepare: early,
          title: 'handshake success rate >= 99% (bootstrap 95% interval)',
          run: async (ctx) => checkSuccessRate(await measure(ctx)),
        },
        {
          id: 'slo/handshake/p95',
          schedule: MEASURED,
          prepare: early,
          title: 'p95 handshake latency < 100 ms, timed from intended start (bootstrap 95% interval)',
          run: async (ctx) => checkP95(await measure(ctx)),
        },
        {
          id: 'slo/fallback-rate',
          schedule: MEASURED,
          prepare: early,
          title: 'fallback rate 0: no classical handshake, pqc_fallback_enabled 0 everywhere',
          run: async (ctx) => checkFallbackRate(await measure(ctx)),
        },
        {
          id: 'slo/agreement',
          schedule: MEASURED,
          prepare: early,
          title: 'the load generator, the node histograms and a real Prometheus give the same SLO verdicts and p95 within one bucket',
          run: async (ctx) => checkAgreement(await measure(ctx)),
        },
        {
          id: 'slo/rules',
          title: 'alert rules pass promtool check/test rules and every alert has a firing and a not-firing test',
          run: () => checkRules(env.rulesFile ?? RULES_FILE),
        },
      ];
    },
  };
}

export const sloSuite: HarnessSuite = createSloSuite();
