// Runs a plan's checks on several worker processes (one per core by
// default). Each worker rebuilds the same checks from the plan and runs the
// ones it is handed, one at a time, so a slow check never holds up the rest.
// Results land at their check's index, so the report's order never depends
// on scheduling, and every check's randomness derives from the seed and its
// id, so neither does any result.
import { fork, type ChildProcess } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Check, CheckResult } from '../check/evidence.ts';
import { checkKey, type BuiltRun, type RunPlan } from './plan.ts';
import { runCheck, type ProgressListener } from './runner.ts';
import { Scheduler } from './schedule.ts';

const BIN = fileURLToPath(new URL('../../bin/pqc-harness.mjs', import.meta.url));
export const WORKER_PLAN_ENV = 'PQC_HARNESS_WORKER_PLAN';

/** Messages a worker sends. */
export type WorkerMessage =
  | { type: 'ready'; keys: string[] }
  | { type: 'result'; index: number; result: CheckResult }
  /** The check's prepare step is under way; the worker is free (a failure is the check's to report when it runs). */
  | { type: 'prepared'; index: number }
  | { type: 'error'; message: string };

/** Messages the coordinator sends. */
export type CoordinatorMessage = { type: 'run'; index: number } | { type: 'prepare'; index: number } | { type: 'done' };

interface Worker {
  process: ChildProcess;
  /** The worker's check keys once it has built the plan, or why it could not. */
  ready: Promise<string[] | Error>;
}

/** Niceness of the workers beside the foreground one (schedule.ts): CPU-bound checks yield to the node processes of a long check. */
export const BACKGROUND_NICE = 10;

function spawnWorker(plan: RunPlan, nice: number): Worker {
  const child = fork(BIN, ['worker'], {
    // Workers log only warnings: the parent already said which backends were chosen.
    env: { ...process.env, PQC_LOG_LEVEL: process.env.PQC_LOG_LEVEL ?? 'warn', [WORKER_PLAN_ENV]: JSON.stringify(plan) },
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  if (nice !== 0 && child.pid !== undefined) {
    try {
      setPriority(child.pid, Math.min(19, getPriority(process.pid) + nice));
    } catch {
      // Not permitted here: the run is slower to keep its bounds under contention, not wrong.
    }
  }
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
  // Worker 0 is the scheduler's first foreground worker; the rest run at a lower priority.
  const workers = Array.from({ length: jobs }, (_, i) => spawnWorker(plan, i === 0 ? 0 : BACKGROUND_NICE));
  return {
    close() {
      for (const w of workers) if (w.process.exitCode === null) w.process.kill();
    },
    async run({ checks, ctx }, progress = {}) {
      const keys = checks.map(checkKey).join('\n');
      const results: (CheckResult | undefined)[] = new Array(checks.length);
      const scheduler = new Scheduler(checks);
      const record = (index: number, result: CheckResult) => {
        results[index] = result;
        progress.finished?.(result, index, checks.length);
      };

      // Workers that are up and free; every event (ready, result, exit) offers them work again,
      // since a finished check may free a run's owner or let an alone check start.
      const idle = new Set<number>();
      // The check each worker is running, so a worker that dies mid-check fails that check.
      const current: (number | undefined)[] = workers.map(() => undefined);
      let finish!: () => void;
      const allStopped = new Promise<void>((resolve) => {
        finish = resolve;
      });
      let live = workers.length;
      const stopped = () => {
        if (--live === 0) finish();
      };
      const pump = () => {
        for (const id of [...idle]) {
          const d = scheduler.next(id);
          if (d === 'wait') continue;
          idle.delete(id);
          if (d === 'done') {
            workers[id].process.send({ type: 'done' } satisfies CoordinatorMessage);
            continue;
          }
          if ('prepare' in d) {
            workers[id].process.send({ type: 'prepare', index: d.prepare } satisfies CoordinatorMessage);
            continue;
          }
          current[id] = d.run;
          progress.started?.(checks[d.run], d.run, checks.length);
          workers[id].process.send({ type: 'run', index: d.run } satisfies CoordinatorMessage);
        }
      };

      workers.forEach((w, id) => {
        void w.ready.then((ready) => {
          if (ready instanceof Error || ready.join('\n') !== keys) {
            const why = ready instanceof Error ? ready.message : 'it built a different check list';
            process.stderr.write(`pqc-harness: a worker could not start (${why}); its share runs in this process\n`);
            w.process.kill();
            scheduler.lost(id);
            stopped();
            pump();
            return;
          }
          w.process.on('message', (m: WorkerMessage) => {
            if (m.type === 'prepared') {
              idle.add(id);
              pump();
              return;
            }
            if (m.type !== 'result') return;
            record(m.index, m.result);
            current[id] = undefined;
            scheduler.finished(id);
            idle.add(id);
            pump();
          });
          w.process.once('exit', (code, signal) => {
            idle.delete(id);
            // A check that takes its process down is a failing check, not a lost one.
            const index = current[id];
            if (index !== undefined)
              record(index, crashed(checks[index], `worker process exited (${signal ?? `code ${code}`}) while running this check`));
            current[id] = undefined;
            scheduler.lost(id);
            stopped();
            pump();
          });
          idle.add(id);
          pump();
        });
      });

      await allStopped;
      // Whatever no worker could take (none started, or all are gone) runs here.
      for (const i of scheduler.remaining()) {
        progress.started?.(checks[i], i, checks.length);
        record(i, await runCheck(checks[i], ctx));
      }
      return results as CheckResult[];
    },
  };
}
