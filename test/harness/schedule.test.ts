// The pool's dispatch order: long checks first, a shared run's checks on the
// worker that holds it, alone checks only once every other worker is idle,
// their prepare step early on the foreground worker.
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check/evidence.ts';
import { Scheduler } from '../../src/harness/schedule.ts';

const plain = {};
const long = { schedule: { long: true } };
const slo = { schedule: { alone: true, shares: 'slo' } };
const mesh = { schedule: { long: true, shares: 'mesh' } };

/** Runs the plan on `workers` simulated workers that finish in dispatch order; returns (worker, index) pairs. */
function simulate(checks: Pick<Check, 'schedule'>[], workers: number): [number, number][] {
  const s = new Scheduler(checks);
  const order: [number, number][] = [];
  const busy = new Map<number, number>();
  for (let guard = 0; guard < 1000; guard++) {
    let progressed = false;
    for (let w = 0; w < workers; w++) {
      if (busy.has(w)) continue;
      const d = s.next(w);
      if (typeof d === 'object' && 'run' in d) {
        busy.set(w, d.run);
        order.push([w, d.run]);
        progressed = true;
      }
    }
    if (busy.size === 0 && !progressed) return order;
    // The lowest-numbered busy worker finishes first.
    const [w] = [...busy.keys()].sort();
    busy.delete(w);
    s.finished(w);
  }
  throw new Error('the schedule never ended');
}

describe('Scheduler', () => {
  it('starts long checks first, on the foreground worker only, and dispatches every check exactly once', () => {
    const order = simulate([plain, plain, long, plain, long], 2);
    expect(order[0]).toEqual([0, 2]);
    expect(order[1]).toEqual([1, 0]);
    expect(order.filter(([, i]) => i === 2 || i === 4).map(([w]) => w)).toEqual([0, 0]);
    expect(order.map(([, i]) => i).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('a background worker never takes a long or alone check, even when it is the only one free', () => {
    const s = new Scheduler([long, slo, plain]);
    expect(s.next(1)).toEqual({ run: 2 });
    expect(s.next(1)).toBe('wait');
    expect(s.next(0)).toEqual({ run: 0 });
  });

  it('keeps the checks of one shared run on the worker that started it', () => {
    const shared = { schedule: { shares: 'mesh' } };
    const order = simulate([shared, plain, plain, shared, plain, shared], 2);
    const workersOfMesh = new Set(order.filter(([, i]) => [0, 3, 5].includes(i)).map(([w]) => w));
    expect(workersOfMesh.size).toBe(1);
    expect(order).toHaveLength(6);
  });

  it('runs alone checks last, with no other check beside them', () => {
    const s = new Scheduler([slo, plain, slo, plain]);
    expect(s.next(0)).toEqual({ run: 1 });
    expect(s.next(1)).toEqual({ run: 3 });
    s.finished(0);
    // Worker 1 still runs check 3: the alone check waits.
    expect(s.next(0)).toBe('wait');
    s.finished(1);
    expect(s.next(0)).toEqual({ run: 0 });
    expect(s.next(1)).toBe('wait');
    s.finished(0);
    // The second reader of the run goes to the worker holding it; the other is done waiting.
    expect(s.next(1)).toBe('wait');
    expect(s.next(0)).toEqual({ run: 2 });
    s.finished(0);
    expect(s.next(1)).toBe('done');
    expect(s.next(0)).toBe('done');
  });

  it('prepares an alone check on the foreground worker once its long checks are done, beside short checks, and runs it there', () => {
    const prepare = async () => {};
    const measured = { schedule: { alone: true, shares: 'slo' }, prepare };
    const s = new Scheduler([measured, long, plain, measured, plain, plain]);
    expect(s.next(0)).toEqual({ run: 1 });
    expect(s.next(1)).toEqual({ run: 2 });
    s.finished(0);
    // No long check left for the foreground worker: it prepares the shared run once, while worker 1 still runs.
    expect(s.next(0)).toEqual({ prepare: 0 });
    expect(s.next(0)).toEqual({ run: 4 });
    s.finished(1);
    expect(s.next(1)).toEqual({ run: 5 });
    s.finished(0);
    // The alone checks still wait for every other worker, and go to the worker that prepared them.
    expect(s.next(0)).toBe('wait');
    s.finished(1);
    expect(s.next(1)).toBe('wait');
    expect(s.next(0)).toEqual({ run: 0 });
    s.finished(0);
    expect(s.next(0)).toEqual({ run: 3 });
    s.finished(0);
    expect(s.next(0)).toBe('done');
  });

  it('a prepared alone check does not jump the short checks left when every worker is idle', () => {
    const prepare = async () => {};
    const s = new Scheduler([{ schedule: { alone: true, shares: 'slo' }, prepare }, plain]);
    // Worker 0 is up first (worker 1 not yet): it prepares, then takes the short check, not the load.
    expect(s.next(0)).toEqual({ prepare: 0 });
    expect(s.next(0)).toEqual({ run: 1 });
    expect(s.next(1)).toBe('wait');
    s.finished(0);
    expect(s.next(0)).toEqual({ run: 0 });
  });

  it('never prepares a check that is not alone, nor on a background worker', () => {
    const prepare = async () => {};
    const s = new Scheduler([{ prepare }, { schedule: { alone: true }, prepare }, plain]);
    expect(s.next(1)).toEqual({ run: 0 });
    expect(s.next(0)).toEqual({ prepare: 1 });
    expect(s.next(0)).toEqual({ run: 2 });
    s.finished(1);
    expect(s.next(1)).toBe('wait');
  });

  it('a prepared run whose worker is lost runs unprepared on the next foreground worker', () => {
    const prepare = async () => {};
    const s = new Scheduler([{ schedule: { alone: true, shares: 'slo' }, prepare }]);
    expect(s.next(0)).toEqual({ prepare: 0 });
    s.lost(0);
    expect(s.next(1)).toEqual({ run: 0 });
  });

  it('hands a lost foreground worker’s runs and role to the next worker', () => {
    const s = new Scheduler([mesh, mesh]);
    expect(s.next(0)).toEqual({ run: 0 });
    expect(s.next(1)).toBe('wait');
    s.lost(0);
    expect(s.foregroundWorker()).toBe(1);
    expect(s.next(1)).toEqual({ run: 1 });
  });

  it('gives back what no worker took', () => {
    const s = new Scheduler([plain, long, plain]);
    expect(s.next(0)).toEqual({ run: 1 });
    s.lost(0);
    expect(s.remaining()).toEqual([0, 2]);
    expect(s.next(1)).toBe('done');
  });
});
