// Pre-authentication floods against a node, and the process figures that
// show what they cost it (RSS and CPU from /proc). Used by the flood test and
// by bench/flood.bench.ts.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { FrameType, MAX_FRAME_BYTES, encodeFrame } from '../../src/mesh/protocol/wire.ts';

/** Resident set size of a process in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/** User + system CPU time of a process in ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15 of stat)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/**
 * Opens `n` connections that each announce a maximum frame and send all but
 * one KiB of it, then park. Resolves when every connection has either sent
 * its bytes or been closed by the node.
 */
export async function parkPartialFrames(address: string, n: number): Promise<{ sockets: Socket[]; closedByNode: () => number }> {
  const [host, port] = [address.split(':')[0], Number(address.split(':')[1])];
  const partial = encodeFrame(FrameType.HELLO, new Uint8Array(MAX_FRAME_BYTES - 1)).subarray(0, MAX_FRAME_BYTES - 1024);
  const sockets: Socket[] = [];
  let closed = 0;
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve) => {
          const s = connect(port, host);
          sockets.push(s);
          s.on('error', () => undefined);
          s.on('close', () => {
            closed++;
            resolve();
          });
          s.resume();
          s.once('connect', () => s.write(partial, () => resolve()));
        }),
    ),
  );
  return { sockets, closedByNode: () => closed };
}

/**
 * Replays one captured HELLO on `connections` connections in a loop for
 * `ms`: each connection sends it, waits for the node's answer or close,
 * reconnects. Returns how many ACCEPTs (signatures) the node produced.
 */
export async function replayHello(
  address: string,
  hello: Uint8Array,
  connections: number,
  ms: number,
): Promise<{ accepts: number; refused: number; elapsedMs: number }> {
  const [host, port] = [address.split(':')[0], Number(address.split(':')[1])];
  const frame = encodeFrame(FrameType.HELLO, hello);
  const started = Date.now();
  const end = started + ms;
  let accepts = 0;
  let refused = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const s = connect(port, host);
      let first = true;
      s.on('error', () => undefined);
      s.on('data', (d: Buffer) => {
        if (!first) return;
        first = false;
        if (d.length > 4 && d[4] === FrameType.ACCEPT) accepts++;
        else refused++;
        s.destroy();
      });
      s.on('close', () => resolve());
      s.once('connect', () => s.write(frame));
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) await one();
    }),
  );
  return { accepts, refused, elapsedMs: Date.now() - started };
}

/**
 * Keeps `n` parking attempts going until `running()` is false: each
 * connection sends a 127 KiB partial frame and parks, and when the node
 * closes it (refused, or the first-frame deadline) it reconnects after
 * `reconnectMs`. Resolves with the number of connections opened.
 */
export async function keepParked(address: string, n: number, reconnectMs: number, running: () => boolean): Promise<number> {
  const [host, port] = [address.split(':')[0], Number(address.split(':')[1])];
  const partial = encodeFrame(FrameType.HELLO, new Uint8Array(MAX_FRAME_BYTES - 1)).subarray(0, MAX_FRAME_BYTES - 1024);
  let opened = 0;
  const open = new Set<Socket>();
  const stopper = setInterval(() => {
    if (running()) return;
    for (const s of open) s.destroy();
  }, 200);
  const slot = async () => {
    while (running()) {
      opened++;
      await new Promise<void>((resolve) => {
        const s = connect(port, host);
        open.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          open.delete(s);
          resolve();
        });
        s.resume();
        // Write only to a connection the node did not close at once: the refused ones cost the attacker nothing.
        s.once('connect', () => setTimeout(() => s.destroyed || s.write(partial), 50));
      });
      await new Promise((r) => setTimeout(r, reconnectMs));
    }
  };
  // Stagger the first connections over a second, as independent clients would arrive.
  await Promise.all(Array.from({ length: n }, (_, i) => new Promise((r) => setTimeout(r, (i * 1000) / n)).then(slot)));
  clearInterval(stopper);
  return opened;
}
