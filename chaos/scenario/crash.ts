// The crash-restart nemesis's node actions: `kill` SIGKILLs one node by the
// PID its ready line named, `restart` runs the same command on the same
// config (its stateDir survives, docs/node-contract.md §1, §8). The admin
// API comes back on a new port, so the target the workload and the poller
// share is repointed in place.
import type { CrashWindow } from '../checkers/rejoin.ts';
import type { NemesisAction } from '../nemesis/schedule.ts';
import type { AdminTarget } from './admin.ts';
import type { Timeline } from './timeline.ts';

export interface NodeLifecycle {
  crash(id: string): Promise<{ pid: number }>;
  restart(id: string): Promise<{ admin: string; pid: number }>;
}

export type NodeAction = Extract<NemesisAction, { op: 'kill' } | { op: 'restart' }>;

export async function applyNodeAction(
  action: NodeAction,
  lifecycle: NodeLifecycle,
  targets: readonly AdminTarget[],
  timeline: Timeline,
  crashes: CrashWindow[],
): Promise<void> {
  const target = targets.find((t) => t.id === action.node);
  if (!target) throw new Error(`${action.op} ${action.node}: no such node in the mesh`);
  if (action.op === 'kill') {
    const { pid } = await lifecycle.crash(action.node);
    const at = timeline.now();
    crashes.push({ node: action.node, killedAt: at });
    timeline.add('crash', `${action.node} (pid ${pid}) killed with SIGKILL`, at);
    return;
  }
  const t0 = timeline.now();
  const fresh = await lifecycle.restart(action.node);
  target.admin = fresh.admin;
  const at = timeline.now();
  const open = crashes.findLast((c) => c.node === action.node && c.restartedAt === undefined);
  if (open) open.restartedAt = at;
  timeline.add('restart', `${action.node} restarted from its config as pid ${fresh.pid} (ready in ${at - t0} ms)`, at);
}
