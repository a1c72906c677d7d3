// Starting meshes of real node processes: generating a CA, identities and
// configs into a directory, spawning `node --config` processes, waiting for
// their ready lines, and stopping them without leaving orphans. `mesh up`
// and the multi-process tests both use it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import type { CryptoBackend } from '../../crypto/backend.ts';
import { ConfigError } from '../../errors.ts';
import { createCa, issueNode, keySeedsFrom, type Identity, type KeySeeds } from '../protocol/certificate.ts';
import { writeAdminToken } from './admin-token.ts';
import { caPaths, nodePaths, readCertificate, readIdentity, writeIdentity } from './identity-files.ts';

export interface ReadyLine {
  event: 'ready';
  id: string;
  listen: string;
  admin: string;
  /** The admin API's bearer token file (mode 0600). */
  adminTokenFile: string;
  pid: number;
}

export interface MeshNodeSpec {
  id: string;
  config: string;
  listen: string;
}

/** Reserves distinct free loopback ports by binding them all at once, then releasing them. */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      servers.push(s);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

export function loadOrCreateCa(dir: string, backend: CryptoBackend, name = 'pqc-mesh', seeds?: KeySeeds): Identity {
  const p = caPaths(dir);
  if (existsSync(p.key)) return readIdentity(p.cert, p.key);
  const ca = createCa(name, backend, undefined, undefined, seeds);
  writeIdentity(ca, p.cert, p.key);
  return ca;
}

export function issueToDir(
  dir: string,
  ca: Identity,
  id: string,
  backend: CryptoBackend,
  days = 365,
  seeds?: KeySeeds,
): { cert: string; key: string } {
  const p = nodePaths(dir, id);
  writeIdentity(issueNode(ca, id, backend, days, undefined, seeds), p.cert, p.key);
  return p;
}

export interface PrepareOptions {
  backend: CryptoBackend;
  /** Written into each config's `backend:` (default auto). */
  backendName?: string;
  ids?: string[];
  /** Extra config fields merged into every node config (timers, fallback...). */
  extra?: Record<string, unknown>;
  /** Per-node overrides, e.g. a certificate from another CA. */
  perNode?: Record<string, Record<string, unknown>>;
  /** Derive the CA's and every node's key pairs from this seed (a replayable run); the backend must honour keygen seeds. */
  identitySeed?: number;
}

/** CA, identities and one config per node, all pointing at each other on loopback. */
export async function prepareMesh(dir: string, n: number, o: PrepareOptions): Promise<MeshNodeSpec[]> {
  dir = resolve(dir);
  mkdirSync(dir, { recursive: true });
  const seeds = (subject: string) => (o.identitySeed === undefined ? undefined : keySeedsFrom(o.identitySeed, subject));
  const ca = loadOrCreateCa(dir, o.backend, undefined, seeds('ca:pqc-mesh'));
  const ids = o.ids ?? Array.from({ length: n }, (_, i) => `node-${i + 1}`);
  const ports = await freePorts(ids.length);
  const specs = ids.map((id, i) => ({ id, config: join(dir, `${id}.yaml`), listen: `127.0.0.1:${ports[i]}` }));
  for (const s of specs) {
    const paths = existsSync(nodePaths(dir, s.id).key)
      ? nodePaths(dir, s.id)
      : issueToDir(dir, ca, s.id, o.backend, undefined, seeds(s.id));
    // The admin token sits next to the config, owner-only; the config names it.
    const tokenFile = join(dir, `${s.id}.admin-token`);
    if (!existsSync(tokenFile)) writeAdminToken(tokenFile);
    const config = {
      id: s.id,
      listen: s.listen,
      admin: '127.0.0.1:0',
      adminTokenFile: `${s.id}.admin-token`,
      stateDir: `state/${s.id}`,
      backend: o.backendName ?? 'auto',
      ca: 'ca.cert',
      certificate: paths.cert.slice(dir.length + 1),
      key: paths.key.slice(dir.length + 1),
      peers: specs.filter((p) => p.id !== s.id).map((p) => ({ id: p.id, address: p.listen })),
      ...o.extra,
      ...o.perNode?.[s.id],
    };
    writeFileSync(s.config, stringify(config));
  }
  readCertificate(caPaths(dir).cert);
  return specs;
}

/** How to start a node process: argv before `--config`. */
export type NodeCommand = { command: string; args: string[] };

/**
 * The whole argv of one node process for its config file: what a
 * `--node-command` template gives (docs/node-contract.md §1), nothing added.
 */
export type NodeArgv = (config: string) => { command: string; args: string[] };

/** The argv NodeProcess.spawn runs for a NodeCommand: `--config` and `--exit-with-parent` appended. */
export function referenceArgv(cmd: NodeCommand, extraArgs: readonly string[] = []): NodeArgv {
  return (config) => ({ command: cmd.command, args: [...cmd.args, '--config', config, '--exit-with-parent', ...extraArgs] });
}

/** The running CLI itself (bin/pqc-harness.mjs, or any tsx entry that registers the mesh commands). */
export function selfNodeCommand(): NodeCommand {
  return { command: process.execPath, args: [...process.execArgv, process.argv[1], 'node'] };
}

export class NodeProcess {
  readonly exited: Promise<number | null>;
  private constructor(
    readonly child: ChildProcess,
    readonly ready: ReadyLine,
    readonly config: string,
  ) {
    this.exited =
      child.exitCode !== null
        ? Promise.resolve(child.exitCode)
        : new Promise((r) => child.once('exit', (code, signal) => r(code ?? (signal ? null : 0))));
  }

  /**
   * Spawns one node and waits for its ready line. The child watches its
   * stdin, a pipe from us: if we die, the pipe closes and the child exits,
   * so even a SIGKILLed launcher leaves no orphans.
   */
  static async spawn(
    cmd: NodeCommand,
    config: string,
    o: { logFile?: string; env?: NodeJS.ProcessEnv; extraArgs?: string[]; timeoutMs?: number } = {},
  ): Promise<NodeProcess> {
    return NodeProcess.spawnArgv(referenceArgv(cmd, o.extraArgs), config, o);
  }

  /**
   * Spawns exactly `argv(config)` (a node command template's), and waits for
   * its ready line. `commandText` (the template as given) names the command in
   * errors, with the log file.
   */
  static async spawnArgv(
    argv: NodeArgv,
    config: string,
    o: { logFile?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; commandText?: string } = {},
  ): Promise<NodeProcess> {
    const { command, args } = argv(config);
    const where = [o.commandText && `command: ${o.commandText}`, o.logFile && `log: ${o.logFile}`].filter(Boolean).join('; ');
    const context = where ? ` (${where})` : '';
    const logFd = o.logFile ? openSync(o.logFile, 'a') : 'ignore';
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', logFd],
      env: { ...process.env, ...o.env },
    });
    if (typeof logFd === 'number') closeSync(logFd);
    const lines = createInterface({ input: child.stdout! });
    const ready = await new Promise<ReadyLine>((resolveReady, reject) => {
      let settled = false;
      // Timers run before pending I/O: after a long synchronous check held this process, the ready
      // line may be waiting in the pipe. Let that I/O run (setImmediate comes after it) before giving up.
      const timer = setTimeout(
        () =>
          setImmediate(() => {
            if (settled) return;
            child.kill('SIGKILL');
            reject(new Error(`node ${config} not ready within ${o.timeoutMs ?? 20_000} ms${context}`));
          }),
        o.timeoutMs ?? 20_000,
      );
      lines.on('line', (line) => {
        try {
          const msg = JSON.parse(line) as ReadyLine;
          if (msg.event === 'ready') {
            settled = true;
            clearTimeout(timer);
            resolveReady(msg);
          }
        } catch {
          // not a ready line
        }
      });
      // A command that cannot start at all (not found, not executable) says so, with the command.
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`node ${config}: cannot run ${o.commandText ?? command}: ${e.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`node ${config} exited with code ${code} before its ready line${context}`));
      });
    });
    return new NodeProcess(child, ready, config);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL if it has not exited within graceMs. */
  async stop(graceMs = 5000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(t);
    return code;
  }

  /** A crash: no shutdown path runs. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}

export interface RunningMesh {
  dir: string;
  nodes: NodeProcess[];
  stop(): Promise<void>;
}

export async function startMesh(dir: string, specs: MeshNodeSpec[], cmd: NodeCommand, env?: NodeJS.ProcessEnv): Promise<RunningMesh> {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const started = await Promise.allSettled(
    specs.map((s) => NodeProcess.spawn(cmd, s.config, { logFile: join(dir, 'logs', `${s.id}.log`), env })),
  );
  const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw new ConfigError(`mesh did not start: ${(failed.reason as Error).message}`);
  }
  writeFileSync(
    join(dir, 'mesh.json'),
    JSON.stringify(
      {
        nodes: nodes.map((n) => ({
          id: n.ready.id,
          listen: n.ready.listen,
          admin: n.ready.admin,
          adminToken: readFileSync(n.ready.adminTokenFile, 'utf8').trim(),
        })),
      },
      null,
      2,
    ) + '\n',
    { mode: 0o600 },
  );
  return { dir, nodes, stop };
}
