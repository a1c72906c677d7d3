// An ordered release queue: chunks (and the end-of-stream marker) leave at
// or after their due time, never before an earlier item. Latency, bandwidth
// and slicer all delay chunks; they differ only in how they compute due times.
import { performance } from 'node:perf_hooks';
import type { ChunkSink } from './pipe.ts';

interface Item {
  due: number;
  /** null marks the end of the stream. */
  chunk: Buffer | null;
}

export const now = (): number => performance.now();

export class ReleaseQueue {
  private items: Item[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastDueMs = Number.NEGATIVE_INFINITY;
  private disposed = false;

  /** `out` is read at release time because the chain may be relinked meanwhile. */
  constructor(private readonly out: () => ChunkSink) {}

  get empty(): boolean {
    return this.head >= this.items.length;
  }

  /** Due time of the last scheduled item (order is kept by never releasing before it). */
  get lastDue(): number {
    return this.lastDueMs;
  }

  /** Schedules a chunk (or the end, with null); a due time earlier than the previous item's is raised to it. */
  schedule(chunk: Buffer | null, due: number): void {
    if (this.disposed) return;
    const at = Math.max(due, this.lastDueMs);
    this.lastDueMs = at;
    if (this.empty && at <= now()) {
      // Nothing waiting and already due: hand it on now, no timer needed.
      this.emit(chunk);
      return;
    }
    this.items.push({ due: at, chunk });
    if (this.timer === null) this.arm();
  }

  /** Releases everything at once, in order (the toxic is being removed or switched off). */
  flushAll(): void {
    this.clearTimer();
    while (!this.disposed && !this.empty) this.emit(this.take());
    this.compact();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.items = [];
    this.head = 0;
  }

  private take(): Buffer | null {
    const item = this.items[this.head];
    this.head += 1;
    return item.chunk;
  }

  private emit(chunk: Buffer | null): void {
    const out = this.out();
    if (chunk === null) out.end();
    else out.push(chunk);
  }

  private arm(): void {
    const wait = Math.max(0, this.items[this.head].due - now());
    // setTimeout has millisecond granularity and may fire a little early:
    // round up, and release() re-checks against the clock.
    this.timer = setTimeout(() => this.release(), Math.ceil(wait));
  }

  private release(): void {
    this.timer = null;
    const t = now();
    while (!this.disposed && !this.empty && this.items[this.head].due <= t) this.emit(this.take());
    if (this.disposed) return;
    this.compact();
    if (!this.empty && this.timer === null) this.arm();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Drops released items from the array now and then, so it does not grow forever. */
  private compact(): void {
    if (this.head > 1024 || this.head >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
