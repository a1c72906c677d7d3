// The SLO checks over one run's three measurements. Each check's verdict is
// the generator's bootstrap verdict (pass only when the whole 95% interval
// meets the target); `unknown` fails and says the run was too small to decide.
import { fail, pass, type Evidence, type Verdict } from '../../src/check/evidence.ts';
import type { SloVerdict } from '../../bench/slo/bootstrap.ts';
import type { SloRunResult } from '../../bench/slo/run.ts';

function figures(r: SloRunResult): Evidence {
  return {
    seed: r.settings.seed,
    settings: r.settings,
    latencyMs: r.load.latency,
    serviceTimeMs: r.load.serviceTime,
    lateStarts: r.load.lateStarts,
    achievedRatePerSecond: r.load.achievedRatePerSecond,
    phasesMs: r.phasesMs,
    ...(r.preparedAhead !== undefined ? { preparedAhead: r.preparedAhead } : {}),
    ...(r.prometheusSkipped ? { prometheusSkipped: r.prometheusSkipped } : {}),
  };
}

function decide(what: string, v: SloVerdict, detail: string, handshakes: number, evidence: Evidence): Verdict {
  if (v === 'pass') return pass(evidence);
  if (v === 'fail') return fail(`${what} misses the SLO: ${detail}`, { ...evidence, sloVerdict: v });
  return fail(
    `${what} undecided: ${detail} straddles the target; ${handshakes} handshakes are too few to decide${handshakes < 10_000 ? ', run the release profile (10 000)' : ', run a larger load'}`,
    { ...evidence, sloVerdict: v },
  );
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function checkSuccessRate(r: SloRunResult): Verdict {
  const g = r.generator.successRate;
  return decide(
    'handshake success rate',
    r.generator.verdicts.successRate,
    `${pct(g.estimate)} (95% CI ${pct(g.lo)}..${pct(g.hi)}, SLO >= 99%)`,
    r.generator.handshakes,
    {
      ...figures(r),
      sloVerdict: r.generator.verdicts.successRate,
      generator: g,
      failures: r.load.failed,
      nodes: r.nodes.successRate,
      prometheus: r.prometheus?.successRate ?? null,
    },
  );
}

export function checkP95(r: SloRunResult): Verdict {
  const g = r.generator.p95Seconds;
  const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
  return decide(
    'p95 handshake latency',
    r.generator.verdicts.p95,
    `${ms(g.estimate)} (95% CI ${ms(g.lo)}..${ms(g.hi)}, SLO < 100 ms)`,
    r.generator.handshakes,
    {
      ...figures(r),
      sloVerdict: r.generator.verdicts.p95,
      generatorSeconds: g,
      nodesSeconds: r.nodes.p95Seconds,
      prometheusByNodeSeconds: r.prometheus?.p95ByNode ?? null,
    },
  );
}

export function checkFallbackRate(r: SloRunResult): Verdict {
  const v = r.generator.verdicts.fallbackRate;
  const evidence = {
    ...figures(r),
    sloVerdict: v,
    classicalHandshakeShare: r.generator.fallbackRate,
    nodesFallbackEnabledMax: r.nodes.fallbackEnabledMax,
    prometheusFallbackByNode: r.prometheus?.fallbackByNode ?? null,
  };
  // Zero tolerance: any node reporting fallback fails too, even if no handshake showed it.
  if (v === 'pass' && r.nodes.fallbackEnabledMax === 0) return pass(evidence);
  return fail(
    `fallback rate is not 0: ${pct(r.generator.fallbackRate)} of handshakes negotiated the classical suite, pqc_fallback_enabled max ${r.nodes.fallbackEnabledMax}`,
    evidence,
  );
}

export function checkAgreement(r: SloRunResult): Verdict {
  const evidence = {
    ...figures(r),
    generator: r.generator,
    nodes: {
      ...r.nodes,
      perNode: undefined,
      perNodeP95Seconds: Object.fromEntries(Object.entries(r.nodes.perNode).map(([k, v]) => [k, v.p95Seconds])),
    },
    prometheus: r.prometheus ?? null,
    problems: r.agreement.problems,
  };
  if (!r.prometheus)
    return fail(`the real Prometheus did not run (${r.prometheusSkipped ?? 'not requested'}): only two measurements`, evidence);
  if (r.agreement.agree) return pass(evidence);
  const overload =
    r.load.lateStarts > r.generator.handshakes * 0.05
      ? ` (${r.load.lateStarts} late starts: the load outran the mesh, whose own histograms do not see the queueing)`
      : '';
  return fail(`the three measurements disagree: ${r.agreement.problems.join('; ')}${overload}`, evidence);
}
