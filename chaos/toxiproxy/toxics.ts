// The toxics themselves: each is a stage in one direction of one connection.
// A stage is "active" when this connection's toxicity roll said so; an
// inactive stage passes everything straight on.
import type { ChunkSink, Stage, StageContext } from './pipe.ts';
import { ReleaseQueue, now } from './schedule.ts';
import type { ToxicSpec } from './toxic-spec.ts';

const NOWHERE: ChunkSink = { push: () => {}, end: () => {} };

/** Toxiproxy decides per connection whether a toxic applies: rand < toxicity. */
export function rollToxicity(toxicity: number): boolean {
  return Math.random() < toxicity;
}

abstract class ToxicStage implements Stage {
  next: ChunkSink = NOWHERE;
  protected disposed = false;

  constructor(
    protected spec: ToxicSpec,
    protected active: boolean,
    protected readonly ctx: StageContext,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  push(chunk: Buffer): void {
    if (this.disposed) return;
    if (this.active) this.onChunk(chunk);
    else this.next.push(chunk);
  }

  end(): void {
    if (this.disposed) return;
    if (this.active) this.onEnd();
    else this.next.end();
  }

  start(): void {
    if (this.active) this.arm();
  }

  update(spec: ToxicSpec, active: boolean): void {
    const was = this.active;
    this.spec = spec;
    this.active = active;
    if (was && !active) {
      this.disarm();
      this.flush();
    } else if (!was && active) {
      this.arm();
    } else if (active) {
      this.reconfigure();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.disarm();
  }

  protected attr(key: string): number {
    return this.spec.attributes[key] ?? 0;
  }

  protected onChunk(chunk: Buffer): void {
    this.next.push(chunk);
  }
  protected onEnd(): void {
    this.next.end();
  }
  /** Starts per-connection timers (timeout, reset_peer). */
  protected arm(): void {}
  /** Stops them. */
  protected disarm(): void {}
  /** New attributes while staying active; by default they apply to the next chunks. */
  protected reconfigure(): void {}
  /** Passes on whatever the stage holds. */
  flush(): void {}
}

class NoopStage extends ToxicStage {}

/** Toxics that delay chunks share an ordered release queue. */
abstract class QueuedStage extends ToxicStage {
  protected readonly queue = new ReleaseQueue(() => this.next);

  protected override onEnd(): void {
    // The end follows the last chunk; it is not delayed any further.
    this.queue.schedule(null, now());
  }
  override flush(): void {
    this.queue.flushAll();
  }
  override dispose(): void {
    super.dispose();
    this.queue.dispose();
  }
}

/** `latency` ms +- `jitter` ms per chunk, counted from its arrival; order is kept. */
class LatencyStage extends QueuedStage {
  protected override onChunk(chunk: Buffer): void {
    const jitter = this.attr('jitter');
    const delay = this.attr('latency') + (jitter > 0 ? (Math.random() * 2 - 1) * jitter : 0);
    this.queue.schedule(chunk, now() + delay);
  }
}

/** At most `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy counts); rate <= 0 means unlimited. */
class BandwidthStage extends QueuedStage {
  private nextFree = 0;

  protected override onChunk(chunk: Buffer): void {
    const rate = this.attr('rate');
    if (rate <= 0) {
      this.queue.schedule(chunk, now());
      return;
    }
    // Pieces of about 20 ms worth keep the flow smooth instead of bursty.
    const piece = Math.max(1, Math.floor((rate * 1000) / 50));
    for (let off = 0; off < chunk.length; off += piece) {
      const part = chunk.subarray(off, Math.min(chunk.length, off + piece));
      // A piece leaves when its last byte would have crossed a link of this rate.
      const due = Math.max(now(), this.nextFree) + part.length / rate;
      this.nextFree = due;
      this.queue.schedule(part, due);
    }
  }
}

/** Cuts chunks into slices of `average_size` +- `size_variation` bytes, `delay` µs apart. */
class SlicerStage extends QueuedStage {
  protected override onChunk(chunk: Buffer): void {
    const average = this.attr('average_size');
    if (average <= 0) {
      this.queue.schedule(chunk, now());
      return;
    }
    const variation = Math.max(0, Math.min(this.attr('size_variation'), average - 1));
    const gapMs = Math.max(0, this.attr('delay')) / 1000;
    const t = now();
    let due = this.queue.empty && this.queue.lastDue <= t ? t : this.queue.lastDue + gapMs;
    for (let off = 0; off < chunk.length; ) {
      const size = average + (variation > 0 ? Math.round((Math.random() * 2 - 1) * variation) : 0);
      const end = Math.min(chunk.length, off + Math.max(1, size));
      this.queue.schedule(chunk.subarray(off, end), due);
      off = end;
      due += gapMs;
    }
  }
}

/** Passes data through but holds the close (FIN) back for `delay` ms. */
class SlowCloseStage extends ToxicStage {
  private timer: NodeJS.Timeout | null = null;

  protected override onEnd(): void {
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.next.end();
      },
      Math.max(0, this.attr('delay')),
    );
  }
  override flush(): void {
    if (this.timer === null) return;
    this.disarm();
    this.next.end();
  }
  protected override disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * Lets nothing through; closes the connection after `timeout` ms, or with 0
 * holds the data until the toxic is removed (then it is delivered in order).
 */
class TimeoutStage extends ToxicStage {
  private held: (Buffer | null)[] = [];
  private timer: NodeJS.Timeout | null = null;

  protected override onChunk(chunk: Buffer): void {
    this.held.push(chunk);
  }
  protected override onEnd(): void {
    this.held.push(null);
  }
  protected override arm(): void {
    const timeout = this.attr('timeout');
    if (timeout > 0) this.timer = setTimeout(() => this.ctx.close('graceful'), timeout);
  }
  protected override disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
  protected override reconfigure(): void {
    this.disarm();
    this.arm();
  }
  override flush(): void {
    const held = this.held;
    this.held = [];
    for (const item of held) {
      if (item === null) this.next.end();
      else this.next.push(item);
    }
  }
}

/** Resets the connection (TCP RST) `timeout` ms after the toxic applies to it. */
class ResetPeerStage extends ToxicStage {
  private timer: NodeJS.Timeout | null = null;

  protected override arm(): void {
    this.timer = setTimeout(() => this.ctx.close('reset'), Math.max(0, this.attr('timeout')));
  }
  // With timeout 0 the reset comes first, as a real Toxiproxy does it: data
  // that arrives before the timer fires is never passed on.
  protected override onChunk(chunk: Buffer): void {
    if (this.attr('timeout') <= 0) this.ctx.close('reset');
    else this.next.push(chunk);
  }
  protected override disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
  protected override reconfigure(): void {
    this.disarm();
    this.arm();
  }
}

/**
 * Passes `bytes` bytes on this direction, then ends it; the connection is
 * closed once that end has reached the socket, so the allowed bytes arrive.
 */
class LimitDataStage extends ToxicStage {
  private passed = 0;
  private done = false;

  protected override onChunk(chunk: Buffer): void {
    if (this.done) return;
    const remaining = Math.max(0, this.attr('bytes') - this.passed);
    const part = remaining < chunk.length ? chunk.subarray(0, remaining) : chunk;
    if (part.length > 0) {
      this.passed += part.length;
      this.next.push(part);
    }
    if (this.attr('bytes') - this.passed <= 0) {
      this.done = true;
      this.ctx.closeAfterEnd();
      this.next.end();
    }
  }
  protected override onEnd(): void {
    if (!this.done) this.next.end();
  }
}

const STAGES = {
  latency: LatencyStage,
  bandwidth: BandwidthStage,
  slow_close: SlowCloseStage,
  timeout: TimeoutStage,
  reset_peer: ResetPeerStage,
  slicer: SlicerStage,
  limit_data: LimitDataStage,
  noop: NoopStage,
} as const satisfies Record<ToxicSpec['type'], new (s: ToxicSpec, a: boolean, c: StageContext) => ToxicStage>;

/** A stage for one connection, with that connection's toxicity roll. */
export function createStage(spec: ToxicSpec, ctx: StageContext): Stage {
  return new STAGES[spec.type](spec, rollToxicity(spec.toxicity), ctx);
}
