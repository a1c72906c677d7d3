// The node's durable state: its incarnation counter and the log of messages
// delivered to its application. A DATA message is appended (and fsynced)
// before it is acknowledged, and duplicates are recognised from the same log,
// so an acknowledged message is delivered exactly once even if either node
// dies and restarts at any point.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
  existsSync,
  writeFileSync,
  renameSync,
  truncateSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { MeshError } from '../protocol/errors.ts';
import { NODE_ID_PATTERN } from '../protocol/certificate.ts';
import type { MessageId } from '../protocol/messages.ts';

export interface Delivered {
  from: string;
  payload: string;
}

interface LogLine extends Delivered {
  inc: string;
  seq: string;
}

const decimal = z.string().regex(/^\d{1,20}$/, 'must be a decimal string');
/** The shape every `delivered.jsonl` line must have; extra keys are refused too (nothing else writes this file). */
const logLine = z.strictObject({
  from: z.string().regex(NODE_ID_PATTERN, 'must be a node id'),
  payload: z.string(),
  inc: decimal,
  seq: decimal,
});

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
    if (existsSync(file)) this.load(file);
    this.fd = openSync(file, 'a');
  }

  /**
   * Replays the log. Only the last line can be torn (a crash mid-append, before
   * the fsync and so before any ACK): it is cut off, so the next append starts
   * on a fresh line and the sender's retransmission is delivered then. Any
   * other bad line is corruption, and the node refuses to start (ConfigError
   * naming file and line) rather than skip it: a skipped line would lower the
   * highest delivered sequence of its sender, and a retransmission of a
   * message whose ACK was lost would then be delivered twice.
   */
  private load(file: string): void {
    let bytes = readFileSync(file);
    if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) {
      const complete = bytes.lastIndexOf(0x0a) + 1;
      truncateSync(file, complete);
      bytes = bytes.subarray(0, complete);
    }
    const lines = bytes.toString('utf8').split('\n');
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const where = `${file}:${index + 1}`;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new ConfigError(`${where}: corrupt delivery log line (not JSON); the node will not start with a partial exactly-once record`);
      }
      const r = logLine.safeParse(raw);
      if (!r.success) {
        const issue = r.error.issues[0];
        const field = issue.path.length ? `field "${issue.path.join('.')}"` : 'line';
        throw new ConfigError(
          `${where}: corrupt delivery log line: ${field} ${issue.message}; the node will not start with a partial exactly-once record`,
        );
      }
      const l: LogLine = r.data;
      this.remember(l.from, { incarnation: BigInt(l.inc), seq: BigInt(l.seq) }, l.payload);
    });
  }

  private remember(from: string, id: MessageId, payload: string): void {
    this.log.push({ from, payload });
    this.highest.set(`${from}/${id.incarnation}`, id.seq);
  }

  /**
   * Delivers the next message of a sender incarnation. Ids are consecutive
   * from 1 and a sender retransmits in order, so at or below the highest
   * delivered id is a `duplicate` (acknowledge it again), exactly one above
   * is delivered, and anything further ahead is a `gap`: a message was lost
   * on the way, this one is not delivered and must not be acknowledged.
   */
  deliver(from: string, id: MessageId, payload: Uint8Array): 'delivered' | 'duplicate' | 'gap' {
    const seen = this.highest.get(`${from}/${id.incarnation}`) ?? 0n;
    if (id.seq <= seen) return 'duplicate';
    if (id.seq !== seen + 1n) return 'gap';
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
    return 'delivered';
  }

  received(): readonly Delivered[] {
    return this.log;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Only a missing file means a first start. A corrupt counter is refused: restarting
 * at 1 would reuse message ids receivers already saw, and they would drop new
 * messages as duplicates.
 */
function bumpIncarnation(file: string): bigint {
  let n = 0n;
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ConfigError(`${file}: cannot read the incarnation counter (${(e as NodeJS.ErrnoException).code})`);
  }
  if (text !== undefined) {
    if (!/^\d{1,20}$/.test(text.trim()))
      throw new ConfigError(`${file}: corrupt incarnation counter ${JSON.stringify(text.slice(0, 40))}; expected a decimal number`);
    n = BigInt(text.trim());
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
