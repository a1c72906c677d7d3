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
      type Started = { dir: string; mesh: PreparedSlo };
      const start = (ctx: CheckContext): Promise<Started> => {
        const { size, seed } = runOf(ctx);
        const dir = mkdtempSync(join(tmpdir(), 'pqc-slo-'));
        return prepareSlo({ dir, ...size, arrival: 'poisson', seed, command, backend: env.backends[0], prometheus }).then(
          (mesh) => ({ dir, mesh }),
          (e: unknown) => {
            rmSync(dir, { recursive: true, force: true });
            throw e;
          },
        );
      };
      // Meshes the prepare step started (a pool runs it beside the last short checks), by run key, until a load takes them.
      const ahead = new Map<string, Promise<Started>>();
      const early = async (ctx: CheckContext) => {
        const { key } = runOf(ctx);
        let p = ahead.get(key);
        if (!p) {
          p = start(ctx);
          p.catch(() => undefined);
          ahead.set(key, p);
        }
        await p;
      };
      // A mesh started ahead that no load took (another process made the measurement): stop it.
      const discard = (key: string) => {
        const p = ahead.get(key);
        if (!p) return;
        ahead.delete(key);
        void p.then(
          async (s) => {
            await s.mesh.close();
            rmSync(s.dir, { recursive: true, force: true });
          },
          () => undefined,
        );
      };
      const measure = (ctx: CheckContext): Promise<SloRunResult> => {
        const { key } = runOf(ctx);
        return sharedRun(key, async () => {
          // The mesh started ahead; or, when none was or its start failed (beside CPU-bound checks), one started now.
          const pending = ahead.get(key);
          ahead.delete(key);
          const startedAhead = pending && (await pending.catch(() => undefined));
          const s = startedAhead ?? (await start(ctx));
          try {
            return { ...(await loadSlo(s.mesh)).result, preparedAhead: startedAhead !== undefined };
          } finally {
            rmSync(s.dir, { recursive: true, force: true });
          }
        }).finally(() => discard(key));
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
