// One SLO run feeds four checks. Checks of one certify run may land on
// different worker processes, and two meshes under load at once would
// measure each other, so the first process to ask runs the measurement and
// every other one (same coordinator, same key) waits for its result file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const inProcess = new Map<string, Promise<unknown>>();
const RUNS = join(tmpdir(), 'pqc-slo-runs');
const DAY_MS = 24 * 3600_000;

/** Result files of earlier runs are small but would pile up: drop those older than a day. */
function pruneOldRuns(): void {
  mkdirSync(RUNS, { recursive: true });
  for (const entry of readdirSync(RUNS)) {
    const path = join(RUNS, entry);
    try {
      if (Date.now() - statSync(path).mtimeMs > DAY_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // another process pruned it first
    }
  }
}

/** The process that owns the run: a forked worker's parent, else this one; with its start time so a reused pid is another owner. */
function owner(): string {
  const pid = typeof process.send === 'function' ? process.ppid : process.pid;
  try {
    return `${pid}-${readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19]}`;
  } catch {
    return String(pid);
  }
}

export function sharedRun<T>(key: string, compute: () => Promise<T>, timeoutMs = 20 * 60_000): Promise<T> {
  const id = createHash('sha256').update(`${owner()}\n${key}`).digest('hex').slice(0, 24);
  const existing = inProcess.get(id);
  if (existing) return existing as Promise<T>;
  const dir = join(RUNS, id);
  const result = join(dir, 'result.json');
  const promise = (async (): Promise<T> => {
    pruneOldRuns();
    let mine = false;
    try {
      mkdirSync(dir);
      mine = true;
    } catch {
      // another process of this run holds it
    }
    if (mine) {
      let body: { ok: true; value: T } | { ok: false; error: string };
      try {
        body = { ok: true, value: await compute() };
      } catch (e) {
        body = { ok: false, error: (e as Error).message };
      }
      writeFileSync(`${result}.tmp`, JSON.stringify(body));
      renameSync(`${result}.tmp`, result);
      if (!body.ok) throw new Error(body.error);
      return body.value;
    }
    const until = Date.now() + timeoutMs;
    while (!existsSync(result)) {
      if (Date.now() > until) throw new Error(`no SLO result from the process measuring it within ${timeoutMs} ms (${dir})`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const body = JSON.parse(readFileSync(result, 'utf8')) as { ok: true; value: T } | { ok: false; error: string };
    if (!body.ok) throw new Error(body.error);
    return body.value;
  })();
  inProcess.set(id, promise);
  return promise;
}
