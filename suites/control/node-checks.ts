// The partition checks on real node processes (docs/control-plane.md §7):
// the same scenarios as partition-checks.ts, cut with POST /links instead of
// an in-memory bus, judged by the same checkers over the History collected
// from /log and /status. A mutant node is every node started with
// `--mutant <ControlProtocol module>`.
import type { Verdict } from '../../src/check/evidence.ts';
import { fail } from '../../src/check/evidence.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { certificateVerifier, checkConvergence, checkSafety, type CheckerResult, type History } from '../../chaos/checkers/index.ts';
import { detectionProblem, logKeys, NodeMesh, split, type SplitResult } from './nodes.ts';
import { judgeCheckers } from './scenario.ts';

export interface NodeCheckEnv {
  issuer: CryptoBackend;
  size: number;
  /** Absolute path of a ControlProtocol module every node runs (a mutant node). */
  mutant?: string;
  heartbeatMs?: number;
}

function judge(r: { nodes: number; heartbeatMs: number }, results: CheckerResult[], extra: Record<string, unknown>): Verdict {
  return judgeCheckers(results, { nodes: r.nodes, heartbeatMs: r.heartbeatMs }, extra);
}

const safety = (m: NodeMesh) => checkSafety(m.history, { verify: certificateVerifier(m.trust, m.history.certificates!) });

interface PartitionRun {
  nodes: number;
  heartbeatMs: number;
  cut: SplitResult;
  queued: string;
  committed: string;
  commitMs?: number;
  convergedMs?: number;
  /** The history up to the heal (minority-commits judges this), and the whole one (heal/converges). */
  beforeHeal: History;
  history: History;
  safetyBefore: CheckerResult;
  safetyAfter: CheckerResult;
}

/**
 * One run serves both checks of a size (starting nodes is most of the cost):
 * split, propose on both sides, wait for the majority's commit, snapshot,
 * restore the links, wait for one log everywhere. Memoised per process.
 */
const runs = new Map<string, Promise<PartitionRun>>();

function partitionRun(env: NodeCheckEnv): Promise<PartitionRun> {
  const key = `${env.issuer.name}:${env.size}:${env.mutant ?? 'reference'}:${env.heartbeatMs ?? 200}`;
  let r = runs.get(key);
  if (!r) {
    r = runPartition(env);
    runs.set(key, r);
    // A failed start is not remembered: the next check tries again.
    r.catch(() => runs.delete(key));
  }
  return r;
}

async function runPartition(env: NodeCheckEnv): Promise<PartitionRun> {
  const m = await NodeMesh.start({ size: env.size, issuer: env.issuer, mutant: env.mutant, heartbeatMs: env.heartbeatMs ?? 200 });
  try {
    const cut = await split(m);
    const queued = await m.propose(cut.minority[0], 'policy', 'minority-side');
    const committed = await m.propose(cut.majority[0], 'policy', 'majority-side');
    const commitMs = await m.waitUntil(
      async () => (await Promise.all(cut.majority.map((id) => m.log(id)))).every((l) => l.entries.some((e) => e.proposalId === committed)),
      5_000,
    );
    await new Promise((r) => setTimeout(r, 3 * m.heartbeatMs));
    await m.snapshot();
    const beforeHeal = structuredClone(m.history);
    const safetyBefore = safety(m);
    await m.links(cut.minority, cut.majority, true);
    const convergedMs = await m.waitUntil(async () => {
      await m.snapshot();
      const keys = [...(await logKeys(m)).values()];
      return new Set(keys).size === 1 && keys[0].split(',').length >= 2;
    }, 5_000);
    await m.snapshot();
    return {
      nodes: m.ids.length,
      heartbeatMs: m.heartbeatMs,
      cut,
      queued,
      committed,
      commitMs,
      convergedMs,
      beforeHeal,
      history: m.history,
      safetyBefore,
      safetyAfter: safety(m),
    };
  } finally {
    await m.stop();
  }
}

const detection = (s: SplitResult) => ({ minorityDetectionMs: s.minorityDetectionMs, majorityDetectionMs: s.majorityDetectionMs });

/** A minority queues its proposal and commits nothing; the majority commits; detection within 3 heartbeats. */
export async function checkNodesMinorityCommits(env: NodeCheckEnv): Promise<Verdict> {
  const r = await partitionRun(env);
  const last = new Map(r.beforeHeal.logs.map((l) => [l.node, l]));
  const problems = [
    detectionProblem(r.heartbeatMs, r.cut),
    last.get(r.cut.minority[0])?.proposals?.find((p) => p.proposalId === r.queued)?.state === 'queued'
      ? undefined
      : `${r.cut.minority[0]} did not queue ${r.queued} in the minority`,
    r.cut.minority.some((id) => last.get(id)!.entries.length > 0) ? `the minority (${r.cut.minority.join(', ')}) committed` : undefined,
    r.commitMs === undefined ? `the majority did not commit ${r.committed} within 5 s` : undefined,
  ].filter((p): p is string => !!p);
  const v = judge(r, [r.safetyBefore], { ...detection(r.cut), commitMs: r.commitMs, minority: r.cut.minority, majority: r.cut.majority });
  return v.status === 'fail' || !problems.length ? v : fail(problems[0], v.evidence);
}

/** Split, propose on both sides, restore the links: one certified log with both proposals on every node within 2 s. */
export async function checkNodesHealConverges(env: NodeCheckEnv): Promise<Verdict> {
  const r = await partitionRun(env);
  const results = [checkConvergence(r.history, { boundMs: 2_000, mustContain: [r.queued, r.committed] }), r.safetyAfter];
  const v = judge(r, results, { ...detection(r.cut), convergedMs: r.convergedMs });
  const d = detectionProblem(r.heartbeatMs, r.cut);
  return v.status === 'fail' || !d ? v : fail(d, v.evidence);
}
