// What the fallback checks drive a controller with: a clock that moves only
// when told to, and an alert sink that records instead of sending. The checks
// run outside vitest (in certify), so they cannot use vi.useFakeTimers; the
// project's tests use the same kit.
import type { AlertDelivery, AlertSink, AlertmanagerAlert } from '../../src/mesh/fallback/alerts.ts';
import type { FallbackClock } from '../../src/mesh/fallback/config.ts';

/** An in-memory AlertSink: records every post instead of sending it. */
export class RecordingAlertSink implements AlertSink {
  readonly posts: AlertmanagerAlert[][] = [];

  send(alerts: readonly AlertmanagerAlert[]): Promise<AlertDelivery> {
    this.posts.push(alerts.map((alert) => structuredClone(alert)));
    return Promise.resolve({ delivered: true, attempts: 1, status: 200 });
  }

  get alerts(): AlertmanagerAlert[] {
    return this.posts.flat();
  }
}

/**
 * A clock that moves only when told to. Used by the fallback checks (which run
 * outside vitest, so cannot rely on vi.useFakeTimers) and by tests.
 */
export class ManualClock implements FallbackClock {
  private nowMs: number;
  private nextId = 1;
  private readonly pending = new Map<number, { dueMs: number; callback: () => void }>();

  constructor(startMs: number = Date.UTC(2030, 0, 1)) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): number {
    const id = this.nextId++;
    this.pending.set(id, { dueMs: this.nowMs + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Timers still waiting to fire. */
  get pendingTimers(): number {
    return this.pending.size;
  }

  /** Moves time forward, firing due timers in due order (including ones they schedule). */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextDue = Infinity;
      for (const [id, timer] of this.pending) {
        if (timer.dueMs <= target && timer.dueMs < nextDue) {
          nextDue = timer.dueMs;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.pending.get(nextId)!;
      this.pending.delete(nextId);
      this.nowMs = timer.dueMs;
      timer.callback();
    }
    this.nowMs = target;
  }
}
