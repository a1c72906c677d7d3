// The durable delivery log: exactly-once state survives restarts, and a
// corrupt state directory stops the node with an error naming file and line.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { Inbox } from '../../src/mesh/node/inbox.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pqc-inbox-'));
  dirs.push(d);
  return d;
}
const bytes = (s: string) => new TextEncoder().encode(s);
const id = (seq: number) => ({ incarnation: 1n, seq: BigInt(seq) });
const good = (seq: number, payload = `m${seq}`) => JSON.stringify({ from: 'n2', payload, inc: '1', seq: String(seq) });

function opening(dir: string): unknown {
  try {
    new Inbox(dir).close();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('inbox', () => {
  it('delivers once, and remembers across restarts', () => {
    const dir = stateDir();
    const a = new Inbox(dir);
    expect(a.deliver('n2', id(1), bytes('one'))).toBe('delivered');
    expect(a.deliver('n2', id(1), bytes('one'))).toBe('duplicate');
    a.close();
    const b = new Inbox(dir);
    expect(b.incarnation).toBe(2n);
    expect(b.deliver('n2', id(1), bytes('one'))).toBe('duplicate');
    expect(b.received()).toEqual([{ from: 'n2', payload: 'one' }]);
    b.close();
  });

  it('never delivers past a gap: a skipped id is not delivered, so it is never acknowledged', () => {
    const a = new Inbox(stateDir());
    expect(a.deliver('n2', id(1), bytes('one'))).toBe('delivered');
    expect(a.deliver('n2', id(3), bytes('three'))).toBe('gap');
    expect(a.received().map((m) => m.payload)).toEqual(['one']);
    expect(a.deliver('n2', id(2), bytes('two'))).toBe('delivered');
    expect(a.deliver('n2', id(3), bytes('three'))).toBe('delivered');
    expect(a.deliver('n2', { incarnation: 9n, seq: 2n }, bytes('new incarnation, not its first'))).toBe('gap');
    a.close();
  });

  it.each([
    ['{}', /delivered\.jsonl:2: corrupt delivery log line: field "from"/],
    ['{"from":"n2","payload":"x","inc":"1"}', /delivered\.jsonl:2: corrupt delivery log line: field "seq"/],
    ['{"from":"n2","payload":"x","inc":"1","seq":"abc"}', /delivered\.jsonl:2: .*field "seq" must be a decimal string/],
    ['{"from":"n2","payload":7,"inc":"1","seq":"2"}', /delivered\.jsonl:2: .*field "payload"/],
    ['null', /delivered\.jsonl:2: corrupt delivery log line/],
    ['[1,2]', /delivered\.jsonl:2: corrupt delivery log line/],
    ['not json at all', /delivered\.jsonl:2: corrupt delivery log line \(not JSON\)/],
  ])('refuses to start on a bad line %s, naming file and line', (line, message) => {
    const dir = stateDir();
    writeFileSync(join(dir, 'delivered.jsonl'), `${good(1)}\n${line}\n${good(3)}\n`);
    const e = opening(dir);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toMatch(message);
    expect((e as Error).message).toContain(join(dir, 'delivered.jsonl'));
  });

  it('cuts a torn last line (crash before fsync, so never acknowledged) and appends on a fresh line', () => {
    const dir = stateDir();
    const file = join(dir, 'delivered.jsonl');
    writeFileSync(file, `${good(1)}\n${good(2).slice(0, 20)}`);
    const a = new Inbox(dir);
    expect(a.received()).toEqual([{ from: 'n2', payload: 'm1' }]);
    // The retransmission of message 2 is delivered now, on its own line.
    expect(a.deliver('n2', id(2), bytes('m2'))).toBe('delivered');
    a.close();
    expect(readFileSync(file, 'utf8')).toBe(`${good(1)}\n${good(2)}\n`);
    const b = new Inbox(dir);
    expect(b.received().map((m) => m.payload)).toEqual(['m1', 'm2']);
    b.close();
  });

  it('refuses a corrupt incarnation counter instead of restarting at 1', () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'incarnation'), 'garbage\n');
    const e = opening(dir);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toMatch(/incarnation: corrupt incarnation counter/);
  });

  it('keeps working after an appended blank line', () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'delivered.jsonl'), `${good(1)}\n`);
    appendFileSync(join(dir, 'delivered.jsonl'), '\n');
    expect(opening(dir)).toBeUndefined();
  });
});
