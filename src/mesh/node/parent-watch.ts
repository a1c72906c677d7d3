// Long-running commands (`node`, `mesh up`, `toxiproxy`) stop when the
// process that started them goes away. Signals are not enough: npm's exec
// wrapper (npx) exits on SIGTERM without passing it on, and a background
// job ignores SIGINT. So each of them polls: its parent dying reparents it
// (process.ppid changes), and under npm the wrapper's own process is watched
// too, since a shell between npm and us may outlive npm.
import { readFileSync } from 'node:fs';

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh']);

function statOf(pid: number): { comm: string; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    return { comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(text.slice(close + 2).split(' ')[1]) };
  } catch {
    return undefined;
  }
}

/** Under npm (npm_command is set), the first ancestor that is not a shell: npm itself. */
function npmAncestor(env: NodeJS.ProcessEnv): number | undefined {
  if (!env.npm_command) return undefined;
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && pid > 1; depth++) {
    const s = statOf(pid);
    if (!s) return undefined;
    if (!SHELLS.has(s.comm)) return pid === process.ppid ? undefined : pid;
    pid = s.ppid;
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Calls `onGone` once when the parent (or the npm wrapper above it) has exited; returns a function that stops watching. */
export function watchParent(onGone: (why: string) => void, o: { intervalMs?: number; env?: NodeJS.ProcessEnv } = {}): () => void {
  // bin/pqc-harness.mjs records the parent before loading anything: a parent that died meanwhile is still noticed.
  const parent = (globalThis as { pqcHarnessParentPid?: number }).pqcHarnessParentPid ?? process.ppid;
  const npm = npmAncestor(o.env ?? process.env);
  const timer = setInterval(() => {
    const why =
      process.ppid !== parent
        ? `parent process ${parent} exited`
        : npm !== undefined && !alive(npm)
          ? `npm process ${npm} exited`
          : undefined;
    if (why) {
      clearInterval(timer);
      onGone(why);
    }
  }, o.intervalMs ?? 500);
  timer.unref();
  return () => clearInterval(timer);
}
