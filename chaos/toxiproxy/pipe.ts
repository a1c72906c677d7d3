// One direction of a proxied connection: bytes read from `src` go through a
// chain of toxic stages and are written to `dst`. With no toxic the chain is
// empty and each chunk is written straight through (no timers, no copies).
import type { Socket } from 'node:net';
import type { ToxicSpec } from './toxic-spec.ts';

/** Where a stage hands its output: the next stage or the destination socket. */
export interface ChunkSink {
  push(chunk: Buffer): void;
  /** The input ended (FIN); passed on after every chunk before it. */
  end(): void;
}

/** How a toxic may end the whole connection. */
export type CloseKind = 'graceful' | 'reset' | 'destroy';

export interface StageContext {
  /** Ends the whole connection now. */
  close(kind: CloseKind): void;
  /** Ends the whole connection once this direction's end has been written out. */
  closeAfterEnd(): void;
}

/** A toxic acting on one direction of one connection. */
export interface Stage extends ChunkSink {
  /** The toxic's name, to find the stage again on update/removal. */
  readonly name: string;
  next: ChunkSink;
  /** Called once wired into the chain; may start timers. */
  start(): void;
  /** Pushes everything held on to `next` at once (the toxic is being removed). */
  flush(): void;
  /** Stops timers; nothing is emitted afterwards. */
  dispose(): void;
  /** New attributes/toxicity for a live connection; `active` is the fresh toxicity roll. */
  update(spec: ToxicSpec, active: boolean): void;
}

/** Bytes held inside the chain before the source is paused (backpressure). */
const CHAIN_HIGH_WATER = 1 << 20;
/**
 * Bytes queued in the destination socket before the source is paused. Node's
 * own 16 KiB mark makes every 64 KiB read pause and resume the source (two
 * epoll changes per chunk), which costs about a third of the throughput;
 * what really matters is whether the kernel stops taking data.
 */
const DST_HIGH_WATER = 1 << 20;

export class DirectionPipe {
  private readonly stages: Stage[] = [];
  private head: ChunkSink;
  private inChain = 0;
  private paused = false;
  private stopped = false;
  private ended = false;
  private closeWhenEnded = false;
  private readonly sink: ChunkSink;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    /** Called once the end of the stream has been handed to `dst`. */
    private readonly onEnded: (closeLink: boolean) => void,
  ) {
    this.sink = {
      push: (chunk: Buffer): void => {
        this.inChain -= chunk.length;
        if (this.stopped || this.dst.destroyed || this.dst.writableEnded) return;
        this.dst.write(chunk);
        this.updateFlow();
      },
      end: (): void => {
        if (this.stopped || this.ended || this.dst.destroyed) return;
        this.ended = true;
        if (!this.dst.writableEnded) this.dst.end();
        this.onEnded(this.closeWhenEnded);
      },
    };
    this.head = this.sink;
    src.on('data', (chunk: Buffer) => {
      if (this.stopped) return;
      this.inChain += chunk.length;
      this.head.push(chunk);
      this.updateFlow();
    });
    src.on('end', () => {
      if (!this.stopped) this.head.end();
    });
    dst.on('drain', () => this.updateFlow());
  }

  /** Appends a stage at the end of the chain (Toxiproxy applies toxics in insertion order). */
  add(stage: Stage): void {
    stage.next = this.sink;
    const last = this.stages.at(-1);
    if (last) last.next = stage;
    else this.head = stage;
    this.stages.push(stage);
    stage.start();
  }

  /** Removes a stage, first passing on what it holds so nothing is lost or reordered. */
  remove(name: string): void {
    const i = this.stages.findIndex((s) => s.name === name);
    if (i < 0) return;
    const stage = this.stages[i];
    stage.flush();
    stage.dispose();
    const after = stage.next;
    if (i === 0) this.head = after;
    else this.stages[i - 1].next = after;
    this.stages.splice(i, 1);
  }

  /** A toxic asked for the connection to close once this direction has ended. */
  closeAfterEnd(): void {
    this.closeWhenEnded = true;
  }

  /** The stage of the toxic called `name`, to update it in place. */
  find(name: string): Stage | undefined {
    return this.stages.find((s) => s.name === name);
  }

  /** Stops forwarding for good; pending toxic timers are cancelled. */
  stop(): void {
    this.stopped = true;
    for (const s of this.stages) s.dispose();
    if (this.paused) this.src.resume();
  }

  /** Pauses the source while the chain or the destination holds too much. */
  private updateFlow(): void {
    const full = this.inChain > CHAIN_HIGH_WATER || this.dst.writableLength > DST_HIGH_WATER;
    if (full && !this.paused && !this.stopped) {
      this.paused = true;
      this.src.pause();
    } else if (!full && this.paused) {
      this.paused = false;
      this.src.resume();
    }
  }
}
