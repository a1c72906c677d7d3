// The chaos suite (issue 11): each scenario of chaos/scenario/scenarios.ts
// against a mesh of real node processes started from env.nodeCommand (default:
// the reference node), as check chaos/<scenario>. pr runs split-brain, release
// every scenario. valid passes, invalid fails; unknown (an endpoint the node
// lacks, nothing committed or acknowledged) is a skip in pr, which the gate
// warns about, and a failure in release: never a pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Check, Verdict } from '../../src/check/evidence.ts';
import { deriveSeed } from '../../src/check/property.ts';
import { parseNodeCommand, referenceNodeCommand } from '../../bench/slo/node-command.ts';
import { reportTimeline } from '../../chaos/scenario/report-timeline.ts';
import { runScenario, type ScenarioRun } from '../../chaos/scenario/run.ts';
import { SCENARIOS, type ScenarioSpec } from '../../chaos/scenario/scenarios.ts';
import type { HarnessSuite, SuiteEnv } from '../env.ts';

/** The scenarios each profile runs. */
export function scenariosFor(profile: SuiteEnv['profile']): readonly ScenarioSpec[] {
  return profile === 'release' ? SCENARIOS : SCENARIOS.filter((s) => s.name === 'split-brain');
}

/** A scenario's run as a check verdict, with the checkers' witnesses and the timeline as evidence. */
export function verdictOf(run: ScenarioRun, profile: SuiteEnv['profile']): Verdict {
  const evidence = {
    seed: run.seed,
    nodes: run.nodes,
    nemesis: run.nemesis,
    nodeCommand: run.command,
    chaosVerdict: run.verdict,
    wallMs: run.wallMs,
    meshUpMs: run.meshUpMs,
    checkers: run.checkers.map((c) => ({ ...c, witnesses: c.witnesses.slice(0, 5) })),
    schedule: run.schedule.actions.map((a) => ({ atMs: a.atMs, op: a.action.op })),
    // As the report draws it (report.html), and the raw events for a reader of the JSON.
    timeline: reportTimeline(run.history, run.checkers, run.verdict),
    events: run.history.timeline,
  };
  if (run.verdict === 'valid') return { status: 'pass', evidence };
  if (run.verdict === 'invalid') return { status: 'fail', reason: `invalid: ${run.reason}`, evidence };
  return { status: profile === 'release' ? 'fail' : 'skip', reason: `unknown: ${run.reason}`, evidence };
}

export async function runChaosCheck(spec: ScenarioSpec, env: SuiteEnv, seed: number): Promise<Verdict> {
  const command = env.nodeCommand ? parseNodeCommand(env.nodeCommand) : referenceNodeCommand();
  const dir = mkdtempSync(join(tmpdir(), `pqc-chaos-${spec.name}-`));
  try {
    return verdictOf(await runScenario({ spec, seed, command, backend: env.backends[0], dir }), env.profile);
  } catch (e) {
    // The mesh never came up or the proxies failed: nothing was judged.
    return { status: 'fail', reason: `scenario could not run: ${(e as Error).message}`, evidence: { seed, nodeCommand: command.text } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const chaosSuite: HarnessSuite = {
  name: 'chaos',
  // A scenario is the same run in pr and release; release only runs more of them.
  sizeIndependent: true,
  checks: (env): Check[] =>
    scenariosFor(env.profile).map((spec) => ({
      id: `chaos/${spec.name}`,
      // One family: the scenario is the check's parameter, as a parameter set is a crypto check's.
      family: 'chaos/*',
      title: `${spec.name}: ${spec.nemesis} on ${spec.nodes} nodes under a send/propose workload; safety, delivery, detection, convergence`,
      schedule: { long: true },
      run: (ctx) => runChaosCheck(spec, env, deriveSeed(ctx.seed, `chaos/${spec.name}`)),
    })),
};
