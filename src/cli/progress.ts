// Progress for long runs: one rewritten status line on a TTY, plain lines
// (one per finished check) otherwise, so CI logs stay readable.
import type { CheckResult } from '../check/evidence.ts';
import type { ProgressListener } from '../harness/runner.ts';

const STATUS_WORD = { pass: 'pass', fail: 'FAIL', skip: 'skip' } as const;

function label(id: string, backend?: string): string {
  return backend ? `${id} [${backend}]` : id;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressListener {
  const tty = Boolean(stream.isTTY);
  const t0 = performance.now();
  let failures = 0;
  let finishedCount = 0;
  const done = (r: CheckResult, i: number, total: number) => {
    if (r.status === 'fail') failures++;
    finishedCount++;
    if (!tty) {
      const reason = r.status === 'pass' ? '' : `  ${r.reason ?? ''}`;
      stream.write(`${STATUS_WORD[r.status]} ${String(i + 1).padStart(4)}/${total} ${label(r.id, r.backend)} ${r.durationMs}ms${reason}\n`);
      return;
    }
    if (r.status === 'fail') {
      stream.write(`\r\x1b[2KFAIL ${label(r.id, r.backend)}: ${r.reason ?? ''}\n`);
    }
  };
  return {
    started(check, _i, total) {
      if (!tty) return;
      // A pty can report 0 columns; fall back to a sensible width.
      const width = (stream.columns || 100) - 1;
      const secs = Math.round((performance.now() - t0) / 1000);
      const line = `[${finishedCount}/${total} done, ${secs}s${failures ? `, ${failures} failed` : ''}] ${label(check.id, check.backend)}`;
      stream.write(`\r\x1b[2K${line.slice(0, width)}`);
    },
    finished(r, i, total) {
      done(r, i, total);
      if (tty && finishedCount === total) stream.write('\r\x1b[2K');
    },
  };
}
