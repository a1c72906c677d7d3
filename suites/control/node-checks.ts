// The partition checks on real node processes (docs/control-plane.md §7):
// the same scenarios as partition-checks.ts, cut with POST /links instead of
// an in-memory bus, judged by the same checkers over the History collected
// from /log and /status. A mutant node is every node started with
// `--mutant <ControlProtocol module>`.
import type { Verdict } from '../../src/check/evidence.ts';
import { fail, pass } from '../../src/check/evidence.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { certificateVerifier, checkConvergence, checkSafety, type CheckerResult } from '../../chaos/checkers/index.ts';
import { detectionProblem, logKeys, NodeMesh, split, type SplitResult } from './nodes.ts';

export interface NodeCheckEnv {
  issuer: CryptoBackend;
  size: number;
  /** Absolute path of a ControlProtocol module every node runs (a mutant node). */
  mutant?: string;
  heartbeatMs?: number;
}

function judge(m: NodeMesh, results: CheckerResult[], extra: Record<string, unknown>): Verdict {
  const evidence = {
    nodes: m.ids.length,
    heartbeatMs: m.heartbeatMs,
    checkers: results.map((r) => ({
      checker: r.checker,
      verdict: r.verdict,
      reason: r.reason,
      witnesses: r.witnesses.slice(0, 5),
      stats: r.stats,
    })),
    ...extra,
  };
  const bad = results.find((r) => r.verdict === 'invalid') ?? results.find((r) => r.verdict === 'unknown');
  return bad ? fail(`${bad.checker}: ${bad.verdict}: ${bad.reason}`, evidence) : pass(evidence);
}

const safety = (m: NodeMesh) => checkSafety(m.history, { verify: certificateVerifier(m.trust, m.history.certificates!) });

async function withMesh(env: NodeCheckEnv, run: (m: NodeMesh) => Promise<Verdict>): Promise<Verdict> {
  const m = await NodeMesh.start({ size: env.size, issuer: env.issuer, mutant: env.mutant, heartbeatMs: env.heartbeatMs ?? 200 });
  try {
    return await run(m);
  } finally {
    await m.stop();
  }
}

/** Splits, proposes on both sides; waits for the majority to commit (or gives up after 5 s). */
async function splitAndPropose(m: NodeMesh): Promise<{ cut: SplitResult; queued: string; committed: string; commitMs?: number }> {
  const cut = await split(m);
  const queued = await m.propose(cut.minority[0], 'policy', 'minority-side');
  const committed = await m.propose(cut.majority[0], 'policy', 'majority-side');
  const commitMs = await m.waitUntil(
    async () => (await Promise.all(cut.majority.map((id) => m.log(id)))).every((l) => l.entries.some((e) => e.proposalId === committed)),
    5_000,
  );
  await new Promise((r) => setTimeout(r, 3 * m.heartbeatMs));
  await m.snapshot();
  return { cut, queued, committed, commitMs };
}

const detection = (s: SplitResult) => ({ minorityDetectionMs: s.minorityDetectionMs, majorityDetectionMs: s.majorityDetectionMs });

/** A minority queues its proposal and commits nothing; the majority commits; detection within 3 heartbeats. */
export function checkNodesMinorityCommits(env: NodeCheckEnv): Promise<Verdict> {
  return withMesh(env, async (m) => {
    const { cut, queued, committed, commitMs } = await splitAndPropose(m);
    const last = new Map(m.history.logs.map((l) => [l.node, l]));
    const problems = [
      detectionProblem(m, cut),
      last.get(cut.minority[0])?.proposals?.find((p) => p.proposalId === queued)?.state === 'queued'
        ? undefined
        : `${cut.minority[0]} did not queue ${queued} in the minority`,
      cut.minority.some((id) => last.get(id)!.entries.length > 0) ? `the minority (${cut.minority.join(', ')}) committed` : undefined,
      commitMs === undefined ? `the majority did not commit ${committed} within 5 s` : undefined,
    ].filter((p): p is string => !!p);
    const v = judge(m, [safety(m)], { ...detection(cut), commitMs, minority: cut.minority, majority: cut.majority });
    return v.status === 'fail' || !problems.length ? v : fail(problems[0], v.evidence);
  });
}

/** Split, propose on both sides, restore the links: one certified log with both proposals on every node within 2 s. */
export function checkNodesHealConverges(env: NodeCheckEnv): Promise<Verdict> {
  return withMesh(env, async (m) => {
    const { cut, queued, committed } = await splitAndPropose(m);
    const healAt = await m.links(cut.minority, cut.majority, true);
    const convergedMs = await m.waitUntil(async () => {
      await m.snapshot();
      const keys = [...(await logKeys(m)).values()];
      return new Set(keys).size === 1 && keys[0].split(',').length >= 2;
    }, 5_000);
    await m.snapshot();
    const results = [checkConvergence(m.history, { boundMs: 2_000, mustContain: [queued, committed] }), safety(m)];
    const v = judge(m, results, { ...detection(cut), convergedMs, healAt });
    const d = detectionProblem(m, cut);
    return v.status === 'fail' || !d ? v : fail(d, v.evidence);
  });
}
