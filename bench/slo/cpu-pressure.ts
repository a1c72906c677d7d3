// One node under CPU pressure: the node and a busy-looping process are both
// pinned to the same core (taskset), so the node gets about half of it.
// Linux only; elsewhere it says why it cannot.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface CpuPressure {
  pid: number;
  core: number;
  stop(): Promise<void>;
}

export function canPinCpus(): string | undefined {
  if (process.platform !== 'linux') return `CPU pressure needs Linux taskset, not ${process.platform}`;
  const r = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? 'taskset not found (Debian package util-linux)' : undefined;
}

export async function pressureCpuOf(pid: number, core = 0): Promise<CpuPressure> {
  const why = canPinCpus();
  if (why) throw new Error(why);
  const pin = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { encoding: 'utf8' });
  if (pin.status !== 0) throw new Error(`taskset could not pin pid ${pid}: ${pin.stderr.trim()}`);
  // A bounded spinner: it stops by itself after 10 minutes even if we die.
  const spinner: ChildProcess = spawn(
    'taskset',
    ['-c', String(core), process.execPath, '-e', 'const end = Date.now() + 600000; while (Date.now() < end) {}'],
    { stdio: 'ignore' },
  );
  const exited = new Promise((r) => spinner.once('exit', r));
  return {
    pid: spinner.pid ?? -1,
    core,
    stop: async () => {
      if (spinner.exitCode === null && spinner.signalCode === null) spinner.kill('SIGKILL');
      await exited;
    },
  };
}
