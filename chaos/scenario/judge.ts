// A scenario's verdict from its checkers: invalid if any checker found a
// witness, else unknown if any could not judge (an endpoint the node does not
// implement, nothing committed, nothing acknowledged), else valid. Unknown
// is never a pass: certify fails it in release and warns in pr.
import { checkConvergence, checkDelivery, checkSafety, type CheckerResult, type CheckerVerdict, type History } from '../checkers/index.ts';
import { checkDetection, type PartitionWindow, type ReachSnapshot } from '../checkers/detection.ts';
import { checkMembership } from '../checkers/membership.ts';
import { checkRejoin, type CrashWindow } from '../checkers/rejoin.ts';
import { checkServing } from '../checkers/serving.ts';
import type { ScenarioSpec } from './scenarios.ts';

export interface ScenarioVerdict {
  verdict: CheckerVerdict;
  reason: string;
  checkers: CheckerResult[];
}

export interface JudgeInput {
  spec: ScenarioSpec;
  nodes: string[];
  history: History;
  windows: PartitionWindow[];
  reach: ReachSnapshot[];
  /** Why /log could not be read, when the node command implements none. */
  logMissing?: string;
  proposeMissing?: string;
  /** The workload's proposals, so convergence is timed to what was proposed before the heal. */
  proposals?: readonly { proposalId: string; at: number }[];
  /** Nodes the nemesis killed and restarted. */
  crashes?: readonly CrashWindow[];
}

const unknown = (checker: string, reason: string): CheckerResult => ({ checker, verdict: 'unknown', reason, witnesses: [], stats: {} });

export function judge(i: JudgeInput): ScenarioVerdict {
  const checkers: CheckerResult[] = [checkDelivery(i.history)];
  const healAt = Math.max(0, ...i.history.timeline.filter((e) => e.kind === 'heal').map((e) => e.at));
  const healed = { at: healAt, boundMs: i.spec.convergeBoundMs };
  if (i.spec.partitions) {
    checkers.push(checkDetection(i.nodes, i.windows, i.reach, i.spec.detectBoundMs));
    checkers.push(checkServing(i.nodes, i.windows, i.history.sends, i.spec.graceMs));
    checkers.push(checkMembership(i.nodes, i.windows, i.history.statuses, i.spec.detectBoundMs, healed));
  } else checkers.push(checkMembership(i.nodes, [], i.history.statuses, i.spec.detectBoundMs, healed));
  if (i.spec.crashes) checkers.push(checkRejoin(i.nodes, i.crashes ?? [], i.reach, i.spec.convergeBoundMs));
  const noLog = i.logMissing ?? (i.proposeMissing && !i.history.logs.some((l) => l.entries.length) ? i.proposeMissing : undefined);
  if (noLog) checkers.push(unknown('safety', noLog), unknown('convergence', noLog));
  else
    checkers.push(
      checkSafety(i.history),
      checkConvergence(i.history, {
        boundMs: i.spec.convergeBoundMs,
        proposedAt: new Map((i.proposals ?? []).map((p) => [p.proposalId, p.at])),
      }),
    );
  const bad = checkers.filter((c) => c.verdict === 'invalid');
  const open = checkers.filter((c) => c.verdict === 'unknown');
  if (bad.length) return { verdict: 'invalid', reason: bad.map((c) => `${c.checker}: ${c.reason}`).join('; '), checkers };
  if (open.length) return { verdict: 'unknown', reason: open.map((c) => `${c.checker}: ${c.reason}`).join('; '), checkers };
  return { verdict: 'valid', reason: checkers.map((c) => `${c.checker}: ${c.reason}`).join('; '), checkers };
}
