// The kernel chaos driver's network: one namespace per node
// (pqc-chaos-<seed>-<pid>-<k>-<i>), each with a veth into a bridge in a hub
// namespace, and one veth from the harness's own namespace into that bridge so
// it reaches the admin APIs. Addresses live in 10.213.<subnet>.0/24 and exist
// only inside these namespaces (node i is .i+1, the harness .254). A partition
// is iptables rules in the senders' namespaces (new connections refused, the
// rest dropped). Everything is torn down on close, on process exit and on
// SIGINT/SIGTERM; a namespace left by a killed run is removed by the next one.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { Link, NodeId } from '../nemesis/partition.ts';
import type { NemesisAction } from '../nemesis/schedule.ts';

const run = promisify(execFile);
const PREFIX = 'pqc-chaos-';

/** Why the kernel driver cannot run here, or undefined when it can. */
export function kernelUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `the kernel driver needs Linux network namespaces (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'the kernel driver needs root (ip netns, iptables)';
  for (const [tool, args] of [
    ['ip', ['netns', 'list']],
    ['iptables', ['--version']],
  ] as const) {
    try {
      execFileSync(tool, args, { stdio: 'pipe' });
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
      const why = err.code === 'ENOENT' ? 'not installed' : (err.stderr?.toString().trim() ?? err.message);
      return `the kernel driver needs ${tool} (${tool} ${args.join(' ')}: ${why})`;
    }
  }
  return undefined;
}

type PartitionAction = Extract<NemesisAction, { op: 'partition' } | { op: 'heal' } | { op: 'clear-toxics' }>;

/** Partitions only: the kernel driver has no latency, bandwidth or stream toxics. */
export function isKernelAction(a: NemesisAction): a is PartitionAction {
  return a.op === 'partition' || a.op === 'heal' || a.op === 'clear-toxics';
}

const live = new Set<KernelNet>();
let hooked = false;

/** Tears down every live network synchronously: the only kind of work an exit or signal handler can finish. */
function teardownAll(): void {
  for (const net of live) net.closeSync();
}

function hookProcess(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', teardownAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = () => {
      teardownAll();
      process.off(signal, onSignal);
      // Nobody else handles it: die of the signal as if we had not been here.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const hasProcesses = (ns: string) => execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).trim() !== '';

/**
 * Namespaces of a run whose process is gone (SIGKILL leaves them), removed
 * before a new run. A run counts as gone only when its pid is not alive and no
 * process sits in any of its namespaces, so another harness's live run (in a
 * pid namespace we cannot see into) keeps its network.
 */
function removeStale(): void {
  const runs = new Map<string, string[]>();
  for (const name of chaosNamespaces()) {
    const m = /^(pqc-chaos-\d+-(\d+)-\d+)-/.exec(name);
    if (m && Number(m[2]) !== process.pid) runs.set(m[1], [...(runs.get(m[1]) ?? []), name]);
  }
  for (const [base, names] of runs) {
    const pid = Number(/-(\d+)-\d+$/.exec(base)![1]);
    if (pidAlive(pid) || names.some(hasProcesses)) continue;
    for (const ns of names) execFileSync('ip', ['netns', 'del', ns], { stdio: 'pipe' });
  }
}

/** A /24 in 10.213/16 no interface or route of this namespace uses yet, starting from the seed. */
function freeSubnet(seed: number): number {
  const used = execFileSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }) + execFileSync('ip', ['-4', 'route'], { encoding: 'utf8' });
  for (let k = 0; k < 254; k++) {
    const s = ((seed + process.pid + k) % 254) + 1;
    if (!used.includes(`10.213.${s}.`)) return s;
  }
  throw new Error('no free /24 in 10.213.0.0/16 for the chaos namespaces');
}

let created = 0;

export class KernelNet {
  private closed = false;

  private constructor(
    readonly subnet: number,
    private readonly names: string[],
    private readonly hub: string,
    private readonly ids: readonly NodeId[],
  ) {}

  /** Namespaces, veths and addresses for these nodes; on any failure what was made is removed. */
  static async create(ids: readonly NodeId[], seed: number): Promise<KernelNet> {
    if (ids.length > 250) throw new Error(`the kernel driver takes at most 250 nodes, not ${ids.length}`);
    removeStale();
    const base = `${PREFIX}${seed >>> 0}-${process.pid}-${created}`;
    const rootVeth = `pqcr${process.pid.toString(36)}${(created++).toString(36)}`;
    const subnet = freeSubnet(seed >>> 0);
    const net = new KernelNet(
      subnet,
      ids.map((_, i) => `${base}-${i}`),
      `${base}-hub`,
      ids,
    );
    live.add(net);
    hookProcess();
    try {
      await net.build(rootVeth);
    } catch (e) {
      net.closeSync();
      throw new Error(`kernel driver: cannot build the namespaces: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`);
    }
    return net;
  }

  private async build(rootVeth: string): Promise<void> {
    const ip = (...args: string[]) => run('ip', args);
    await ip('netns', 'add', this.hub);
    await ip('-n', this.hub, 'link', 'add', 'br0', 'type', 'bridge');
    await ip('-n', this.hub, 'link', 'set', 'br0', 'up');
    for (const [i, ns] of this.names.entries()) {
      await ip('netns', 'add', ns);
      await ip('link', 'add', `h${i}`, 'netns', this.hub, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('-n', this.hub, 'link', 'set', `h${i}`, 'master', 'br0', 'up');
      await ip('-n', ns, 'addr', 'add', `${this.address(this.ids[i])}/24`, 'dev', 'eth0');
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    // The harness's way in: its end in this namespace, the other on the bridge (deleted with the hub).
    await ip('link', 'add', rootVeth, 'type', 'veth', 'peer', 'name', 'harness', 'netns', this.hub);
    await ip('-n', this.hub, 'link', 'set', 'harness', 'master', 'br0', 'up');
    await ip('addr', 'add', `10.213.${this.subnet}.254/24`, 'dev', rootVeth);
    await ip('link', 'set', rootVeth, 'up');
  }

  get size(): number {
    return this.names.length;
  }

  namespace(id: NodeId): string {
    return this.names[this.index(id)];
  }

  address(id: NodeId): string {
    return `10.213.${this.subnet}.${this.index(id) + 1}`;
  }

  private index(id: NodeId): number {
    const i = this.ids.indexOf(id);
    if (i < 0) throw new Error(`kernel driver: no namespace for node ${id}`);
    return i;
  }

  private iptables(from: NodeId, ...args: string[]) {
    return run('ip', ['netns', 'exec', this.namespace(from), 'iptables', '-w', ...args]);
  }

  async apply(action: NemesisAction): Promise<void> {
    if (!isKernelAction(action)) throw new Error(`kernel driver: ${action.op} is not a partition (use the toxiproxy driver)`);
    if (action.op === 'clear-toxics') return;
    if (action.op === 'heal') {
      // Our namespaces hold no other rule: flushing OUTPUT restores every link.
      await Promise.all(this.ids.map((id) => this.iptables(id, '-F', 'OUTPUT')));
      return;
    }
    // A cut link a->b drops what a sends to b, in a's namespace; the reverse direction is its own link.
    // Open connections stall (the nodes must notice by their heartbeats), but a new connection is
    // refused at once, as a disabled proxy refuses it: a dropped SYN would back off for seconds
    // (1, 2, 4 s...) and hold the reconnect after the heal past the convergence bound.
    const bySender = new Map<NodeId, Link[]>();
    for (const l of action.partition.cut) bySender.set(l.from, [...(bySender.get(l.from) ?? []), l]);
    await Promise.all(
      [...bySender].map(async ([from, links]) => {
        for (const l of links) {
          const to = this.address(l.to);
          await this.iptables(from, '-A', 'OUTPUT', '-d', to, '-p', 'tcp', '--syn', '-j', 'REJECT', '--reject-with', 'tcp-reset');
          await this.iptables(from, '-A', 'OUTPUT', '-d', to, '-j', 'DROP');
        }
      }),
    );
  }

  /** Rules in a node's namespace, for tests and diagnosis. */
  async rules(id: NodeId): Promise<string> {
    return (await this.iptables(id, '-S', 'OUTPUT')).stdout;
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  /** Deleting the namespaces deletes every veth in them, and so the harness's end of its veth too. */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    live.delete(this);
    for (const ns of [...this.names, this.hub])
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'pipe' });
      } catch {
        // never created, or already gone
      }
  }
}

/** Every chaos namespace that exists now (tests check nothing is left). */
export function chaosNamespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(PREFIX));
}
