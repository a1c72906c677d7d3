// The node's durable state: its incarnation counter and the log of messages
// delivered to its application. A DATA message is appended (and fsynced)
// before it is acknowledged, and duplicates are recognised from the same log,
// so an acknowledged message is delivered exactly once even if either node
// dies and restarts at any point.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync, existsSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { MeshError } from './errors.ts';
import type { MessageId } from './messages.ts';

export interface Delivered {
  from: string;
  payload: string;
}

interface LogLine extends Delivered {
  inc: string;
  seq: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class Inbox {
  readonly incarnation: bigint;
  private readonly log: Delivered[] = [];
  /** Highest delivered sequence per sender and sender incarnation. */
  private readonly highest = new Map<string, bigint>();
  private readonly fd: number;

  constructor(stateDir: string) {
    mkdirSync(stateDir, { recursive: true });
    this.incarnation = bumpIncarnation(join(stateDir, 'incarnation'));
    const file = join(stateDir, 'delivered.jsonl');
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        let l: LogLine;
        try {
          l = JSON.parse(line) as LogLine;
        } catch {
          continue; // a torn last line from a crash mid-write was never acknowledged
        }
        this.remember(l.from, { incarnation: BigInt(l.inc), seq: BigInt(l.seq) }, l.payload);
      }
    }
    this.fd = openSync(file, 'a');
  }

  private remember(from: string, id: MessageId, payload: string): void {
    this.log.push({ from, payload });
    this.highest.set(`${from}/${id.incarnation}`, id.seq);
  }

  /**
   * Delivers a message unless it was delivered before; either way the caller
   * acknowledges it. A sender retransmits in order, so "at or below the
   * highest delivered sequence" means "already delivered".
   */
  deliver(from: string, id: MessageId, payload: Uint8Array): boolean {
    const seen = this.highest.get(`${from}/${id.incarnation}`);
    if (seen !== undefined && id.seq <= seen) return false;
    let text: string;
    try {
      text = utf8.decode(payload);
    } catch {
      throw new MeshError('bad_frame', 'DATA payload is not UTF-8');
    }
    const line: LogLine = { from, payload: text, inc: id.incarnation.toString(), seq: id.seq.toString() };
    writeSync(this.fd, JSON.stringify(line) + '\n');
    fsyncSync(this.fd);
    this.remember(from, id, text);
    return true;
  }

  received(): readonly Delivered[] {
    return this.log;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function bumpIncarnation(file: string): bigint {
  let n = 0n;
  try {
    n = BigInt(readFileSync(file, 'utf8').trim());
  } catch {
    // first start
  }
  n += 1n;
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${n}\n`);
  const fd = openSync(tmp, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
  return n;
}
