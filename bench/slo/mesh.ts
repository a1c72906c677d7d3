// The mesh under test: configs from the reference launcher, processes from a
// node-command template, and the admin calls the SLO load makes.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { NodeProcess, prepareMesh, type MeshNodeSpec } from '../../src/mesh/node/launcher.ts';
import { parse, stringify } from 'yaml';
import type { NodeCommandTemplate } from './node-command.ts';
import type { ScrapeTarget } from './prometheus.ts';

export interface SloNode {
  id: string;
  admin: string;
  listen: string;
  pid: number;
  child: ChildProcess;
}

export interface SloMesh {
  dir: string;
  nodes: SloNode[];
  stop(): Promise<void>;
  /** SIGKILL one node by its PID (a crash: no shutdown path runs); resolves once it is gone. */
  crash(id: string): Promise<{ pid: number }>;
  /** Starts a crashed node again with the same command and config; `nodes` then holds the new process. */
  restart(id: string): Promise<SloNode>;
}

async function spawnNode(
  cmd: NodeCommandTemplate,
  config: string,
  logFile: string,
  env: NodeJS.ProcessEnv,
  readyMs: number,
): Promise<SloNode> {
  const { child, ready } = await NodeProcess.spawnArgv(cmd.argv, config, {
    logFile,
    env,
    timeoutMs: readyMs,
    commandText: cmd.text,
  });
  // The admin API wants the node's bearer token on every call but GET /metrics.
  ADMIN_TOKENS.set(ready.admin, readFileSync(ready.adminTokenFile, 'utf8').trim());
  return { id: ready.id, admin: ready.admin, listen: ready.listen, pid: ready.pid, child };
}

/** Bearer tokens of the nodes this process started, by admin base URL. */
const ADMIN_TOKENS = new Map<string, string>();

/** Headers for an admin call to a node this process started: JSON body and its bearer token. */
export function adminHeaders(admin: string): Record<string, string> {
  const token = ADMIN_TOKENS.get(admin);
  return { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

async function stopNode(n: SloNode): Promise<void> {
  if (n.child.exitCode !== null || n.child.signalCode !== null) return;
  const exited = new Promise((r) => n.child.once('exit', r));
  n.child.kill('SIGTERM');
  const t = setTimeout(() => n.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

export interface StartOptions {
  nodes: number;
  backend: CryptoBackend;
  command: NodeCommandTemplate;
  env?: NodeJS.ProcessEnv;
  /** Extra node config (timers...). */
  extra?: Record<string, unknown>;
  /** Derive every identity's keys from this seed (prepareMesh), so a run replays with the same key material. */
  identitySeed?: number;
  /** Runs on the written configs before any node starts (e.g. to route links through proxies). */
  prepare?: (specs: MeshNodeSpec[]) => Promise<void>;
}

/**
 * The load forces handshakes far above any honest peer's rate (a pr run is
 * about 4 per second per ordered pair, release about 17): the responder's
 * signature budgets for unauthenticated HELLOs (docs/mesh.md, pre-auth
 * budgets) are raised so the SLO measures handshakes, not that DoS defence.
 */
const SLO_LIMITS = { helloSignaturesPerSecondPerPeer: 1000, helloSignaturesPerSecond: 5000 };

/**
 * Rewrites each node's config to listen for admin on the given loopback port
 * instead of one of its own choosing, so a scraper can be told the targets
 * before the nodes start. Returns the targets.
 */
export function pinAdminPorts(specs: readonly MeshNodeSpec[], ports: readonly number[]): ScrapeTarget[] {
  return specs.map((s, i) => {
    const config = parse(readFileSync(s.config, 'utf8')) as Record<string, unknown>;
    config.admin = `127.0.0.1:${ports[i]}`;
    writeFileSync(s.config, stringify(config));
    return { id: s.id, admin: `http://127.0.0.1:${ports[i]}` };
  });
}

export async function startSloMesh(dir: string, o: StartOptions): Promise<SloMesh> {
  const extra = { ...o.extra, limits: { ...SLO_LIMITS, ...(o.extra?.limits as object | undefined) } };
  const specs = await prepareMesh(dir, o.nodes, { backend: o.backend, extra, identitySeed: o.identitySeed });
  await o.prepare?.(specs);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  // Every node loads its backends at once; on 2 cores a large mesh takes a while to be ready.
  const readyMs = 30_000 + 5_000 * specs.length;
  const started = await Promise.allSettled(
    specs.map((s) => spawnNode(o.command, s.config, join(dir, 'logs', `${s.id}.log`), o.env ?? {}, readyMs)),
  );
  const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = async () => {
    await Promise.all(nodes.map(stopNode));
  };
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason as Error;
  }
  const indexOf = (id: string) => {
    const i = nodes.findIndex((n) => n.id === id);
    if (i < 0) throw new Error(`no node ${id} in this mesh (nodes: ${nodes.map((n) => n.id).join(', ')})`);
    return i;
  };
  const crash = async (id: string) => {
    const n = nodes[indexOf(id)];
    if (n.child.exitCode !== null || n.child.signalCode !== null) throw new Error(`node ${id} (pid ${n.pid}) is not running`);
    const exited = new Promise((r) => n.child.once('exit', r));
    // The ready line's pid is the node (docs/node-contract.md §3); a wrapper process the harness spawned goes too.
    process.kill(n.pid, 'SIGKILL');
    if (n.child.pid !== n.pid) n.child.kill('SIGKILL');
    await exited;
    return { pid: n.pid };
  };
  const restart = async (id: string) => {
    const i = indexOf(id);
    const old = nodes[i];
    if (old.child.exitCode === null && old.child.signalCode === null) throw new Error(`node ${id} (pid ${old.pid}) is still running`);
    const spec = specs.find((s) => s.id === id)!;
    nodes[i] = await spawnNode(o.command, spec.config, join(dir, 'logs', `${id}.log`), o.env ?? {}, readyMs);
    return nodes[i];
  };
  return { dir, nodes, stop, crash, restart };
}

interface PeerStatusLine {
  id: string;
  connected: boolean;
}

/** Waits until every node reports a session with every peer; returns how long that took. */
export async function waitFullyConnected(mesh: SloMesh, timeoutMs = 30_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const all = await Promise.all(
      mesh.nodes.map(async (n) => {
        const s = (await (await fetch(`${n.admin}/status`, { headers: adminHeaders(n.admin) })).json()) as { peers: PeerStatusLine[] };
        return s.peers.every((p) => p.connected);
      }),
    );
    if (all.every(Boolean)) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`mesh not fully connected within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface HandshakeAnswer {
  peer: string;
  ok: boolean;
  latencyMs: number;
  suite?: string;
  reason?: string;
  error?: string;
}

/** `POST /handshake {peer}` on the initiator's admin API. */
export async function triggerHandshake(admin: string, peer: string): Promise<HandshakeAnswer> {
  const res = await fetch(`${admin}/handshake`, {
    method: 'POST',
    headers: adminHeaders(admin),
    body: JSON.stringify({ peer }),
  });
  const body = (await res.json()) as HandshakeAnswer & { error?: string };
  if (res.status !== 200) return { peer, ok: false, latencyMs: Number.NaN, reason: `http_${res.status}`, error: body.error };
  return body;
}

export async function scrape(admin: string): Promise<string> {
  const res = await fetch(`${admin}/metrics`);
  if (res.status !== 200) throw new Error(`GET ${admin}/metrics answered ${res.status}`);
  return res.text();
}

/** Resident memory of a process in bytes, from /proc (Linux), or undefined elsewhere. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
