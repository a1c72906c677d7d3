// One harness run: load backends, build the suites' checks, run them, decide
// the gate and write the report.
import { readFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { SCHEMA_VERSION, type CertificationReport } from '../report/model.ts';
import { writeReport, type WrittenReport } from '../report/write.ts';
import { evaluateReport, failingReasons } from '../policy/evaluate.ts';
import { loadPolicySet, type PolicySet } from '../policy/rules.ts';
import type { Waiver } from '../report/model.ts';
import { decide, structuralReasons } from './gate.ts';
import { compareWithBaseline, loadBaseline, withoutAccepted } from './expected.ts';
import { buildRun, type RunPlan } from './plan.ts';
import { startWorkerPool } from './pool.ts';
import { runChecks, type ProgressListener } from './runner.ts';

export interface RunOptions extends RunPlan {
  outDir: string;
  /** Worker processes; 1 runs every check in this process. */
  jobs?: number;
  progress?: ProgressListener;
  /** certify: the policy set to apply (default the built-in set, policies/) and the waivers. */
  policySet?: PolicySet;
  waivers?: readonly Waiver[];
  /** Expected-results baseline (expected.json): accepted failures; deviations and XPASS fail the run. */
  expected?: string;
}

export interface RunOutcome {
  report: CertificationReport;
  written: WrittenReport;
}

export const DEFAULT_BACKENDS = ['noble', 'liboqs'] as const;

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function runHarness(opts: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const t0 = performance.now();
  const plan: RunPlan = {
    command: opts.command,
    backends: opts.backends,
    profile: opts.profile,
    seed: opts.seed,
    vectorsDir: opts.vectorsDir,
    only: opts.only,
    ...(opts.nodeCommand ? { nodeCommand: opts.nodeCommand } : {}),
  };
  // Read before any check runs, so a bad baseline fails at once.
  const baseline = opts.expected ? loadBaseline(opts.expected) : undefined;
  const pool = (opts.jobs ?? 1) > 1 ? startWorkerPool(plan, opts.jobs as number) : undefined;
  let run: Awaited<ReturnType<typeof buildRun>>;
  try {
    run = await buildRun(plan);
  } catch (e) {
    pool?.close();
    throw e;
  }
  const backends = run.backends;
  const results = pool ? await pool.run(run, opts.progress) : await runChecks(run.checks, run.ctx, opts.progress);
  const comparison = baseline && compareWithBaseline(results, baseline);
  // The gate and the policy judge what the baseline does not accept; its deviations are added below.
  const judged = comparison ? withoutAccepted(results, comparison) : results;
  const gate = decide(judged, opts.profile);
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const report: CertificationReport = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'pqc-mesh-harness', version: toolVersion() },
    command: opts.command,
    verdict: gate.verdict,
    verdictReasons: gate.reasons,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    seed: opts.seed,
    profile: opts.profile,
    environment: {
      node: process.version,
      os: `${platform()} ${release()}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
    },
    backends: backends.map((b) => ({ name: b.name, version: b.version, deterministic: b.deterministic })),
    ...(opts.vectorsDir ? { vectorsDir: opts.vectorsDir } : {}),
    summary: { total: results.length, passed: count('pass'), failed: count('fail'), skipped: count('skip') },
    checks: results,
  };
  if (opts.command === 'certify' || opts.policySet) {
    // The policy decides failing checks and release gaps; the gate keeps what makes a run meaningless.
    const policy = evaluateReport(opts.policySet ?? loadPolicySet(), { ...report, checks: judged }, { waivers: opts.waivers });
    const reasons = [...structuralReasons(judged), ...failingReasons(policy)];
    report.policy = policy;
    report.verdict = reasons.length ? 'fail' : 'pass';
    report.verdictReasons = reasons;
  }
  if (comparison) {
    if (comparison.diff.length) {
      report.verdict = 'fail';
      report.verdictReasons.push(
        `deviations from ${opts.expected} (${comparison.xpass.length} XPASS):`,
        ...comparison.diff.map((d) => `  ${d}`),
      );
    }
    if (comparison.accepted.length) report.verdictReasons.push(`${comparison.accepted.length} failure(s) accepted by ${opts.expected}`);
  }
  return { report, written: writeReport(opts.outDir, report) };
}
