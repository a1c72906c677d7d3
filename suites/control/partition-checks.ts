// Partition checks: a minority queues and commits nothing; a heal converges
// and never merges a conflicting certificate (docs/control-plane.md §3-5).
import type { Verdict } from '../../src/check/evidence.ts';
import { fail } from '../../src/check/evidence.ts';
import type { ControlProtocol } from '../../src/mesh/control/seams.ts';
import { checkConvergence } from '../../chaos/checkers/index.ts';
import { craftRelay, entryFrom, hostileEvent, voteAs } from './attacks.ts';
import type { Cluster } from './cluster.ts';
import { cluster, HIGH_SEQ, judge, safety, type ControlCheckEnv } from './scenario.ts';

const minorityOf = (c: Cluster) => c.ids.slice(0, Math.floor((c.ids.length - 1) / 2));

/** Splits the members into a minority and a majority and waits for every node to see its side (at most 3 intervals). */
function split(c: Cluster): { minority: string[]; majority: string[]; detectionMs: number | undefined } {
  const minority = minorityOf(c);
  const majority = c.ids.filter((x) => !minority.includes(x));
  c.partition([minority, majority]);
  const detectionMs = c.runUntil(
    () =>
      minority.every((x) => c.node(x).status().membership.partition === 'minority') &&
      majority.every((x) => c.node(x).status().membership.reachable.length === majority.length),
    10 * c.heartbeatMs,
  );
  return { minority, majority, detectionMs };
}

function detectionProblem(c: Cluster, detectionMs: number | undefined): string | undefined {
  if (detectionMs === undefined) return 'the partition was never detected on every node';
  if (detectionMs > 3 * c.heartbeatMs)
    return `partition detected after ${detectionMs} ms, over 3 heartbeat intervals (${3 * c.heartbeatMs} ms)`;
  return undefined;
}

/** Proposals on both sides of a partition: the minority queues and commits nothing, the majority commits. */
export function checkMinorityCommits(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env, Math.max(env.size, 3));
  const { minority, majority, detectionMs } = split(c);
  const queued = c.propose(minority[0], 'policy', 'minority-side');
  const committed = c.propose(majority[0], 'policy', 'majority-side');
  c.run(6 * c.heartbeatMs);
  c.snapshot();
  const view = c.node(minority[0]).logView();
  const problems = [
    detectionProblem(c, detectionMs),
    view.proposals.find((p) => p.proposalId === queued)?.state === 'queued'
      ? undefined
      : `${minority[0]} did not queue ${queued} in the minority`,
    minority.some((x) => c.node(x).logView().entries.length > 0) ? `the minority (${minority.join(', ')}) committed` : undefined,
    majority.every((x) =>
      c
        .node(x)
        .logView()
        .entries.some((e) => e.proposalId === committed),
    )
      ? undefined
      : `the majority did not commit ${committed}`,
  ].filter(Boolean);
  const v = judge(c, [safety(c)], { detectionMs, minority, majority });
  if (v.status === 'fail' || !problems.length) return v;
  return fail(problems[0]!, v.evidence);
}

/**
 * Split, propose on both sides, heal: every node converges within 2 s to one
 * log holding both proposals. Then a certificate made by a majority of keys
 * for a committed slot (a conflict) is offered in a merge: it is refused,
 * reported, and the logs stay identical.
 */
export function checkHealConverges(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env, Math.max(env.size, 3));
  const { minority, majority, detectionMs } = split(c);
  const a = c.propose(minority[0], 'policy', 'minority-side');
  const b = c.propose(majority[0], 'policy', 'majority-side');
  c.run(5 * c.heartbeatMs);
  c.heal();
  const convergence = c.runUntil(() => {
    const logs = c.ids.map((x) =>
      JSON.stringify(
        c
          .node(x)
          .logView()
          .entries.map((e) => e.eventHash),
      ),
    );
    return new Set(logs).size === 1 && c.node(c.ids[0]).logView().entries.length >= 2;
  }, 10_000);
  c.snapshot();
  const healed = checkConvergence(c.history, { boundMs: 2_000, mustContain: [a, b] });
  // The conflict: slot 1 certified again, for another event, by a majority of the members' keys.
  const target = minority[0];
  const fake = hostileEvent('conflicting-slot-1');
  const signers = majority.slice(0, Math.floor(c.ids.length / 2) + 1).map((x) => c.signers.get(x)!);
  const entry = entryFrom(
    1,
    fake,
    signers.map((s) => voteAs(s, s.nodeId, 1, fake)),
  );
  const relay = craftRelay({
    origin: majority[0],
    signer: c.signers.get(majority[0])!,
    seq: HIGH_SEQ,
    timestamp: c.clock.now(),
    payload: { type: 'merge-response', to: target, entries: [entry] },
  });
  c.note('inject', `conflicting certificate for slot 1 offered to ${target}`);
  c.inject(target, majority[0], relay);
  c.run(3 * c.heartbeatMs);
  c.snapshot();
  const after = checkConvergence(c.history, { boundMs: 2_000 + 10 * c.heartbeatMs, mustContain: [a, b] });
  const reported = c.node(target).status().quorum.safetyViolations;
  const results = [healed, after, safety(c, 'ignore')];
  const v = judge(c, results, { detectionMs, convergenceMs: convergence, reportedConflicts: reported });
  if (v.status === 'fail') return v;
  if (reported < 1) return fail(`${target} adopted or ignored a conflicting certificate for slot 1 without reporting it`, v.evidence);
  const d = detectionProblem(c, detectionMs);
  return d ? fail(d, v.evidence) : v;
}
