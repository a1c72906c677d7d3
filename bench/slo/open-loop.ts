// The open-loop load. Operations start on a schedule fixed in advance and
// each is timed from when it SHOULD have started, so the time an operation
// waits behind a slow one counts as latency (no coordinated omission).
// Concurrency is the number of lanes: lane k serves starts k, k+c, k+2c...
// one after another, like wrk2's connections. A start that begins more than
// 1 ms after its intended time is counted as late (k6's dropped iterations).
import { LatencyRecorder, type LatencySummary } from './hdr.ts';

export const LATE_START_MS = 1;

export interface OpOutcome {
  ok: boolean;
  /** Why it failed, e.g. a mesh failure reason or an HTTP status. */
  reason?: string;
  /** Anything the operation reports (negotiated suite, node-side latency). */
  detail?: Record<string, unknown>;
}

export interface Sample {
  index: number;
  intendedMs: number;
  startedMs: number;
  /** end - intended: the latency a user on this schedule saw. */
  latencyMs: number;
  /** end - actual start: what a closed-loop tool would have reported. */
  serviceMs: number;
  ok: boolean;
  reason?: string;
  detail?: Record<string, unknown>;
}

export interface LoadResult {
  samples: Sample[];
  latency: LatencySummary;
  /** The same operations timed from their actual starts, for comparison. */
  serviceTime: LatencySummary;
  succeeded: number;
  failed: number;
  successRate: number;
  lateStarts: number;
  concurrency: number;
  durationMs: number;
  achievedRatePerSecond: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runOpenLoop(
  starts: Float64Array,
  concurrency: number,
  op: (index: number) => Promise<OpOutcome>,
): Promise<LoadResult> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const samples: Sample[] = new Array(starts.length);
  const t0 = performance.now();
  const lane = async (k: number) => {
    for (let i = k; i < starts.length; i += concurrency) {
      // Never early: a timer may fire up to a millisecond before its delay.
      for (let wait = t0 + starts[i] - performance.now(); wait > 0; wait = t0 + starts[i] - performance.now()) await sleep(Math.ceil(wait));
      const started = performance.now();
      let outcome: OpOutcome;
      try {
        outcome = await op(i);
      } catch (e) {
        outcome = { ok: false, reason: (e as Error).message };
      }
      const end = performance.now();
      samples[i] = {
        index: i,
        intendedMs: starts[i],
        startedMs: started - t0,
        latencyMs: end - t0 - starts[i],
        serviceMs: end - started,
        ok: outcome.ok,
        ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
        ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, starts.length) }, (_, k) => lane(k)));
  const durationMs = performance.now() - t0;
  const latency = new LatencyRecorder();
  const service = new LatencyRecorder();
  let succeeded = 0;
  let lateStarts = 0;
  for (const s of samples) {
    latency.record(s.latencyMs);
    service.record(s.serviceMs);
    if (s.ok) succeeded++;
    if (s.startedMs - s.intendedMs > LATE_START_MS) lateStarts++;
  }
  return {
    samples,
    latency: latency.summary(),
    serviceTime: service.summary(),
    succeeded,
    failed: samples.length - succeeded,
    successRate: succeeded / samples.length,
    lateStarts,
    concurrency,
    durationMs,
    achievedRatePerSecond: samples.length / (durationMs / 1000),
  };
}
