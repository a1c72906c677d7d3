// One direction of a proxied connection: bytes read from `src` go through a
// chain of toxic stages and are written to `dst`. With no toxic the chain is
// empty and each chunk is written straight through (no timers, no copies).
// Sockets opened with `userReadFor` read into buffers this pipe owns and
// reuses, so the fast path allocates nothing per chunk either.
import type { OnReadOpts, Socket } from 'node:net';
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
/** Size of each read (Node's own reads are 64 KiB too). */
const READ_BUFFER = 64 << 10;
/** Read buffers kept for reuse once their writes have completed. */
const SPARE_BUFFERS = 4;

/**
 * `onread` options that hand a socket's reads to the pipe `pipe()` returns
 * (looked up on each read, so the socket may be created before the pipe).
 * Without toxics a chunk is written straight from the read buffer, which is
 * reused as soon as the kernel took all of it; the fresh 64 KiB buffer per
 * read that Node allocates otherwise costs about a third of the CPU time the
 * proxy spends per byte (allocation, page faults, GC).
 */
export function userReadFor(pipe: () => DirectionPipe | undefined): OnReadOpts {
  return {
    // Node asks for the first buffer while the socket is being set up, before the pipe exists.
    buffer: () => pipe()?.readBuffer ?? Buffer.allocUnsafe(READ_BUFFER),
    callback: (bytes: number, buf: Uint8Array): boolean => pipe()?.userRead(bytes, buf as Buffer) ?? true,
  };
}

export class DirectionPipe {
  private readonly stages: Stage[] = [];
  private head: ChunkSink;
  private inChain = 0;
  private paused = false;
  private stopped = false;
  private ended = false;
  private closeWhenEnded = false;
  private readonly sink: ChunkSink;
  /** Where the next read lands (sockets opened with `userReadFor` only); allocated on first use. */
  private buffer: Buffer | null = null;
  /** Read buffers handed to `dst.write` that the socket may still be sending from. */
  private inFlight: Buffer[] = [];
  private readonly spare: Buffer[] = [];

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    /** True when `src` was opened with `userReadFor(() => this)`; otherwise 'data' events are used. */
    userRead: boolean,
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
    if (!userRead) {
      src.on('data', (chunk: Buffer) => {
        if (this.stopped) return;
        this.inChain += chunk.length;
        this.head.push(chunk);
        this.updateFlow();
      });
    }
    src.on('end', () => {
      if (!this.stopped) this.head.end();
    });
    dst.on('drain', () => {
      this.reclaim();
      this.updateFlow();
    });
  }

  get readBuffer(): Buffer {
    return (this.buffer ??= this.spare.pop() ?? Buffer.allocUnsafe(READ_BUFFER));
  }

  /** `onread` callback: `bytes` new bytes at the start of `buf` (the last `readBuffer`). */
  userRead(bytes: number, buf: Buffer): boolean {
    // Unless a write below keeps it, `buf` takes the next read too.
    this.buffer = buf;
    if (this.stopped) return true;
    const chunk = buf.subarray(0, bytes);
    if (this.head !== this.sink) {
      // Toxic stages may hold chunks for a while: give them their own copy.
      this.inChain += bytes;
      this.head.push(Buffer.from(chunk));
      this.updateFlow();
      return true;
    }
    const dst = this.dst;
    if (dst.destroyed || dst.writableEnded) return true;
    this.reclaim();
    dst.write(chunk);
    if (dst.writableLength > 0) {
      // Not all of it went to the kernel: the socket sends the rest from
      // `buf` later, so the next read needs another buffer.
      this.inFlight.push(buf);
      this.buffer = null;
      this.updateFlow();
    }
    return true;
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

  /** Once `dst` has nothing queued, no write refers to the read buffers any more. */
  private reclaim(): void {
    if (this.inFlight.length === 0 || this.dst.writableLength > 0) return;
    for (const buf of this.inFlight) if (this.spare.length < SPARE_BUFFERS) this.spare.push(buf);
    this.inFlight = [];
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
