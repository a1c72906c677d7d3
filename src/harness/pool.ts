// Runs a plan's checks on several worker processes (one per core by
// default). Each worker rebuilds the same checks from the plan and runs the
// ones it is handed, one at a time, so a slow check never holds up the rest.
// Results land at their check's index, so the report's order never depends
// on scheduling, and every check's randomness derives from the seed and its
// id, so neither does any result.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Check, CheckResult } from '../check/evidence.ts';
import { checkKey, type BuiltRun, type RunPlan } from './plan.ts';
import { runCheck, type ProgressListener } from './runner.ts';

const BIN = fileURLToPath(new URL('../../bin/pqc-harness.mjs', import.meta.url));
export const WORKER_PLAN_ENV = 'PQC_HARNESS_WORKER_PLAN';

/** Messages a worker sends. */
export type WorkerMessage =
  | { type: 'ready'; keys: string[] }
  | { type: 'result'; index: number; result: CheckResult }
  | { type: 'error'; message: string };

/** Messages the coordinator sends. */
export type CoordinatorMessage = { type: 'run'; index: number } | { type: 'done' };

interface Worker {
  process: ChildProcess;
  /** The worker's check keys once it has built the plan, or why it could not. */
  ready: Promise<string[] | Error>;
}

function spawnWorker(plan: RunPlan): Worker {
  const child = fork(BIN, ['worker'], {
    // Workers log only warnings: the parent already said which backends were chosen.
    env: { ...process.env, PQC_LOG_LEVEL: process.env.PQC_LOG_LEVEL ?? 'warn', [WORKER_PLAN_ENV]: JSON.stringify(plan) },
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = new Promise<string[] | Error>((resolve) => {
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'ready') resolve(m.keys);
      else if (m.type === 'error') resolve(new Error(m.message));
      else return;
      child.off('message', onMessage);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => resolve(new Error(`exited with code ${code} before it was ready`)));
  });
  return { process: child, ready };
}

function crashed(c: Check, why: string): CheckResult {
  return {
    id: c.id,
    title: c.title,
    ...(c.backend !== undefined ? { backend: c.backend } : {}),
    durationMs: 0,
    status: 'fail',
    reason: why,
    evidence: {},
  };
}

export interface WorkerPool {
  run(run: BuiltRun, progress?: ProgressListener): Promise<CheckResult[]>;
  /** Stops every worker (when the caller gives up before run()). */
  close(): void;
}

/** Starts the workers now, so they load backends and vectors while the caller builds its own copy of the plan. */
export function startWorkerPool(plan: RunPlan, jobs: number): WorkerPool {
  const workers = Array.from({ length: jobs }, () => spawnWorker(plan));
  return {
    close() {
      for (const w of workers) if (w.process.exitCode === null) w.process.kill();
    },
    async run({ checks, ctx }, progress = {}) {
      const keys = checks.map(checkKey).join('\n');
      const results: (CheckResult | undefined)[] = new Array(checks.length);
      let next = 0;
      const record = (index: number, result: CheckResult) => {
        results[index] = result;
        progress.finished?.(result, index, checks.length);
      };

      const serve = async (w: Worker): Promise<void> => {
        const ready = await w.ready;
        if (ready instanceof Error || ready.join('\n') !== keys) {
          const why = ready instanceof Error ? ready.message : 'it built a different check list';
          process.stderr.write(`pqc-harness: a worker could not start (${why}); its share runs in this process\n`);
          w.process.kill();
          return;
        }
        await new Promise<void>((resolve) => {
          let current: number | undefined;
          const dispatch = () => {
            if (next >= checks.length) {
              current = undefined;
              w.process.send({ type: 'done' } satisfies CoordinatorMessage);
              return;
            }
            current = next++;
            progress.started?.(checks[current], current, checks.length);
            w.process.send({ type: 'run', index: current } satisfies CoordinatorMessage);
          };
          w.process.on('message', (m: WorkerMessage) => {
            if (m.type !== 'result') return;
            record(m.index, m.result);
            dispatch();
          });
          w.process.once('exit', (code, signal) => {
            // A check that takes its process down is a failing check, not a lost one.
            if (current !== undefined)
              record(current, crashed(checks[current], `worker process exited (${signal ?? `code ${code}`}) while running this check`));
            resolve();
          });
          dispatch();
        });
      };

      await Promise.all(workers.map(serve));
      // Whatever no worker could take (none started) runs here.
      for (let i = 0; i < checks.length; i++) {
        if (results[i]) continue;
        progress.started?.(checks[i], i, checks.length);
        record(i, await runCheck(checks[i], ctx));
      }
      return results as CheckResult[];
    },
  };
}
