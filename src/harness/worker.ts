// The worker side of the pool: rebuild the plan's checks, announce their
// keys, then run whichever check the coordinator names until told to stop.
import type { CoordinatorMessage, WorkerMessage } from './pool.ts';
import { WORKER_PLAN_ENV } from './pool.ts';
import { buildRun, checkKey, type RunPlan } from './plan.ts';
import { runCheck } from './runner.ts';

export async function serveAsWorker(): Promise<void> {
  const send = (m: WorkerMessage) => process.send?.(m);
  const raw = process.env[WORKER_PLAN_ENV];
  if (!raw || !process.send) throw new Error('pqc-harness worker is started by the harness itself, not by hand');
  let run: Awaited<ReturnType<typeof buildRun>>;
  try {
    run = await buildRun(JSON.parse(raw) as RunPlan);
  } catch (e) {
    send({ type: 'error', message: (e as Error).message });
    process.disconnect?.();
    return;
  }
  const { checks, ctx } = run;
  let done = false;
  // Told it is done, or the coordinator is gone (killed, crashed): nothing here outlives the channel,
  // not even a mesh a prepare step started, whose nodes and Prometheus watch this process and stop with it.
  process.once('disconnect', () => setImmediate(() => process.exit(done ? 0 : 1)));
  await new Promise<void>((resolve) => {
    process.on('message', (m: CoordinatorMessage) => {
      if (m.type === 'done') {
        done = true;
        process.removeAllListeners('message');
        process.disconnect?.();
        resolve();
        return;
      }
      if (m.type === 'prepare') {
        // Started, not awaited: the start-up mostly waits (node processes, Prometheus), so this worker
        // takes short checks meanwhile. A failed start is remembered by the check and reported when it runs.
        void Promise.resolve()
          .then(() => checks[m.index].prepare?.(ctx))
          .catch(() => undefined);
        send({ type: 'prepared', index: m.index });
        return;
      }
      void runCheck(checks[m.index], ctx).then((result) => send({ type: 'result', index: m.index, result }));
    });
    send({ type: 'ready', keys: checks.map(checkKey) });
  });
}
