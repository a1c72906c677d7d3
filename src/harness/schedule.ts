// Which check a free worker runs next. Plain data in, a decision out, so the
// order is testable without processes. Three hints from the checks
// (Check.schedule) shape it:
// - long: holds a worker for many seconds (real node processes). Started
//   first, so the short checks fill the other workers around it instead of
//   leaving one worker busy at the end while the rest idle.
// - shares: checks that read one expensive run (one SLO load, one mesh) go to
//   the worker that started it, where the run is memoised, instead of every
//   worker repeating it or waiting for it.
// - alone: it measures time, so nothing else runs beside it. Dispatched last,
//   once every other worker is idle. An alone check with a prepare step
//   (Check.prepare: starting its mesh measures nothing) has it run early on
//   the foreground worker, once no long check is left for that worker, so
//   the start-up overlaps the last short checks instead of adding to them.
// Long and alone checks go to one worker, the foreground one; the others run
// at a lower CPU priority (pool.ts), so the node processes a long check
// starts (children of the foreground worker) are not starved by the
// CPU-bound checks beside them: their timing bounds (detection within three
// heartbeats, convergence after a heal) hold on two cores.
import type { Check } from '../check/evidence.ts';

export type WorkerId = number;

/** Run a check; run an alone check's prepare step (the worker is free again after it); wait; or stop. */
export type Decision = { run: number } | { prepare: number } | 'wait' | 'done';

type Hints = NonNullable<Check['schedule']> & { prepare?: boolean };

export class Scheduler {
  /** Indices not yet dispatched, in dispatch order: long, then the rest, then alone. */
  private readonly pending: number[];
  private readonly running = new Map<WorkerId, number>();
  private readonly owners = new Map<string, WorkerId>();
  private readonly hints: readonly Hints[];
  private readonly gone = new Set<WorkerId>();
  /** What prepare steps were dispatched for: a shared run's key, or the check's own index. */
  private readonly prepared = new Set<string>();
  private foreground: WorkerId = 0;

  constructor(checks: readonly Pick<Check, 'schedule' | 'prepare'>[]) {
    this.hints = checks.map((c) => ({ ...c.schedule, prepare: typeof c.prepare === 'function' }));
    const rank = (i: number) => (this.hints[i].alone ? 2 : this.hints[i].long ? 0 : 1);
    this.pending = checks.map((_, i) => i).sort((a, b) => rank(a) - rank(b) || a - b);
  }

  /** The next check for `worker`, which is free: an index, 'wait' until another finishes, or 'done'. */
  next(worker: WorkerId): Decision {
    if (this.pending.length === 0) return 'done';
    if ([...this.running.values()].some((i) => this.hints[i].alone)) return 'wait';
    const early = this.preparable(worker);
    if (early !== undefined) {
      this.prepared.add(this.preparedKey(early));
      const key = this.hints[early].shares;
      if (key !== undefined) this.owners.set(key, worker);
      return { prepare: early };
    }
    // An alone check goes last: nothing else running, and nothing else left to run (a prepared one's
    // run has an owner early, so "own run first" below must not let it jump the short checks).
    const aloneMayRun = this.running.size === 0 && this.pending.every((i) => this.hints[i].alone);
    const fits = (i: number) =>
      worker === this.foreground ? !this.hints[i].alone || aloneMayRun : !this.hints[i].alone && !this.hints[i].long;
    // A check of a run this worker already holds comes first: its result is in memory here.
    const own = this.pending.findIndex((i) => this.ownerOf(i) === worker && fits(i));
    const free = this.pending.findIndex((i) => this.ownerOf(i) === undefined && fits(i));
    const at = own >= 0 ? own : free;
    if (at < 0) return 'wait';
    const [index] = this.pending.splice(at, 1);
    const key = this.hints[index].shares;
    if (key !== undefined) this.owners.set(key, worker);
    this.running.set(worker, index);
    return { run: index };
  }

  /** `worker` finished its check. */
  finished(worker: WorkerId): void {
    this.running.delete(worker);
  }

  /** `worker` is gone: the runs it held are nobody's, and if it was the foreground worker, the next one is. */
  lost(worker: WorkerId): void {
    this.running.delete(worker);
    this.gone.add(worker);
    for (const [key, owner] of this.owners) if (owner === worker) this.owners.delete(key);
    while (this.gone.has(this.foreground)) this.foreground++;
  }

  /** The worker that takes long and alone checks (the pool runs it at normal priority). */
  foregroundWorker(): WorkerId {
    return this.foreground;
  }

  /** Checks nobody ran (every worker gone): the caller runs them itself. */
  remaining(): number[] {
    return this.pending.splice(0).sort((a, b) => a - b);
  }

  /** An alone check whose prepare step `worker` should run now: it is the foreground worker and has no long check left. */
  private preparable(worker: WorkerId): number | undefined {
    if (worker !== this.foreground || this.pending.some((i) => this.hints[i].long)) return undefined;
    return this.pending.find((i) => {
      const h = this.hints[i];
      if (!h.alone || !h.prepare || this.prepared.has(this.preparedKey(i))) return false;
      const owner = this.ownerOf(i);
      return owner === undefined || owner === worker;
    });
  }

  /** One prepare step per shared run (its checks read one mesh), else per check. */
  private preparedKey(index: number): string {
    return this.hints[index].shares ?? `#${index}`;
  }

  private ownerOf(index: number): WorkerId | undefined {
    const key = this.hints[index].shares;
    return key === undefined ? undefined : this.owners.get(key);
  }
}
