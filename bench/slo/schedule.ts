// When each operation of an open-loop load must start, fixed before the
// load begins (wrk2's rule): the schedule never waits for an answer, so a
// slow system cannot slow its own load down and hide its latency.
import { seededRandom } from './random.ts';

export type Arrival = 'constant' | 'poisson';

export interface ScheduleSpec {
  /** Operations in total. */
  count: number;
  /** Operations per second, over the whole load (all lanes together). */
  ratePerSecond: number;
  arrival: Arrival;
  /** Seeds the Poisson gaps; ignored for a constant rate. */
  seed: number;
}

/** Intended start offsets in milliseconds from the load's start, ascending. */
export function intendedStarts(s: ScheduleSpec): Float64Array {
  if (!Number.isInteger(s.count) || s.count < 1) throw new RangeError(`schedule count must be a positive integer, got ${s.count}`);
  if (!(s.ratePerSecond > 0) || !Number.isFinite(s.ratePerSecond))
    throw new RangeError(`schedule rate must be a positive number per second, got ${s.ratePerSecond}`);
  const gapMs = 1000 / s.ratePerSecond;
  const out = new Float64Array(s.count);
  if (s.arrival === 'constant') {
    for (let i = 0; i < s.count; i++) out[i] = i * gapMs;
    return out;
  }
  // Poisson process: exponential gaps with mean gapMs (inverse transform; 1 - u avoids log(0)).
  const random = seededRandom(s.seed);
  let t = 0;
  for (let i = 0; i < s.count; i++) {
    out[i] = t;
    t += -Math.log(1 - random()) * gapMs;
  }
  return out;
}
