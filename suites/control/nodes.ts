// Real node processes for the control checks (docs/control-plane.md §7-8):
// a mesh of `pqc-harness node` processes on loopback, driven over their
// admin APIs (POST /links, POST /propose, GET /log, GET /status), and the
// History (chaos/checkers/history.ts) collected from them, so the same
// checkers judge real nodes as judge the simulated members. A mutant node is
// the reference node started with `--mutant <module>` (a ControlProtocol).
import { bytesToHex } from '@noble/hashes/utils.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import type { EventKind } from '../../src/mesh/control/events.ts';
import type { LogView } from '../../src/mesh/control/plane.ts';
import { trustAnchor, type TrustAnchor } from '../../src/mesh/protocol/certificate.ts';
import { caPaths, nodePaths, readCertificate } from '../../src/mesh/node/identity-files.ts';
import { NodeProcess, prepareMesh, type NodeCommand } from '../../src/mesh/node/launcher.ts';
import type { NodeStatus } from '../../src/mesh/node/status.ts';
import { emptyHistory, type History, type TimelineEvent } from '../../chaos/checkers/history.ts';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NODE_COMMAND: NodeCommand = { command: process.execPath, args: [join(PACKAGE_ROOT, 'bin/pqc-harness.mjs'), 'node'] };

export interface NodeMeshOptions {
  size: number;
  /** Issues the CA and node certificates (the nodes themselves run `backend`). */
  issuer: CryptoBackend;
  /** Backend spec of every node (default auto). */
  backend?: string;
  heartbeatMs?: number;
  /** Absolute path of a ControlProtocol module: every node starts with `--mutant` (test only). */
  mutant?: string;
  command?: NodeCommand;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One admin API call with the node's bearer token: GET without a body, POST with one (JSON both ways). */
export async function adminRequest<T>(admin: string, token: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${admin}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls `done` every `stepMs`; the ms it took, or undefined after `timeoutMs`. */
export async function pollUntil(done: () => Promise<boolean>, timeoutMs: number, stepMs = 40): Promise<number | undefined> {
  const start = Date.now();
  for (;;) {
    if (await done()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) return undefined;
    await sleep(stepMs);
  }
}

export class NodeMesh {
  readonly history: History;
  readonly trust: TrustAnchor;
  private readonly tokens = new Map<string, string>();

  private constructor(
    readonly dir: string,
    readonly ids: string[],
    readonly procs: Map<string, NodeProcess>,
    readonly heartbeatMs: number,
    issuer: CryptoBackend,
  ) {
    this.history = emptyHistory(ids);
    this.trust = trustAnchor(readCertificate(caPaths(dir).cert), issuer);
    this.history.certificates = Object.fromEntries(ids.map((id) => [id, bytesToHex(readCertificate(nodePaths(dir, id).cert).encoded)]));
    for (const [id, p] of procs) this.tokens.set(id, readFileSync(p.ready.adminTokenFile, 'utf8').trim());
  }

  /** Starts the nodes and waits until each sees every member reachable (a quiet, fully connected mesh). */
  static async start(o: NodeMeshOptions): Promise<NodeMesh> {
    const heartbeatMs = o.heartbeatMs ?? 200;
    const dir = mkdtempSync(join(tmpdir(), 'pqc-control-nodes-'));
    const procs = new Map<string, NodeProcess>();
    try {
      const specs = await prepareMesh(dir, o.size, {
        backend: o.issuer,
        backendName: o.backend ?? 'auto',
        extra: {
          timers: { heartbeatIntervalMs: heartbeatMs, deadPeerTimeoutMs: 10 * heartbeatMs, reconnectMinMs: 20, reconnectMaxMs: 400 },
        },
      });
      const extraArgs = o.mutant ? ['--mutant', o.mutant] : [];
      const started = await Promise.allSettled(
        specs.map((s) =>
          NodeProcess.spawn(o.command ?? NODE_COMMAND, s.config, { logFile: join(dir, `${s.id}.log`), extraArgs, timeoutMs: 30_000 }),
        ),
      );
      for (const [i, r] of started.entries()) if (r.status === 'fulfilled') procs.set(specs[i].id, r.value);
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const mesh = new NodeMesh(
        dir,
        specs.map((s) => s.id),
        procs,
        heartbeatMs,
        o.issuer,
      );
      const ready = await mesh.waitUntil(
        async () => {
          const all = await Promise.all(mesh.ids.map((id) => mesh.status(id)));
          return all.every((s) => s.membership.reachable.length === mesh.ids.length);
        },
        20_000 + 4_000 * o.size,
      );
      if (ready === undefined) throw new Error(`control mesh of ${o.size} nodes never fully reachable (logs kept in ${dir})`);
      return mesh;
    } catch (e) {
      // The directory (node logs) stays for diagnosis.
      await Promise.all([...procs.values()].map((p) => p.stop(2000)));
      throw e;
    }
  }

  async request<T>(id: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const p = this.procs.get(id);
    if (!p) throw new Error(`no node ${id} in this mesh`);
    return adminRequest<T>(p.ready.admin, this.tokens.get(id)!, path, body);
  }

  async status(id: string): Promise<NodeStatus> {
    return (await this.request<NodeStatus>(id, '/status')).body;
  }

  async log(id: string): Promise<LogView> {
    return (await this.request<LogView>(id, '/log?proposals=1')).body;
  }

  note(kind: TimelineEvent['kind'], detail: string, at = Date.now()): number {
    this.history.timeline.push({ at, kind, detail });
    return at;
  }

  /**
   * Cuts (or restores) every link between side `a` and side `b`, on both
   * ends. Restoring: the side that does not dial (the larger id) first, so
   * the dialing side's immediate dial finds it open.
   */
  async links(a: readonly string[], b: readonly string[], up: boolean): Promise<number> {
    const pairs = a.flatMap((x) => b.map((y) => (x < y ? [x, y] : [y, x])));
    const at = this.note(up ? 'heal' : 'partition', `${a.join(',')} | ${b.join(',')} ${up ? 'restored' : 'cut'}`);
    const call = async (self: string, peer: string) => {
      const r = await this.request<{ error?: string }>(self, '/links', { peer, up });
      if (r.status !== 200) throw new Error(`POST /links on ${self} for ${peer}: ${r.status} ${r.body.error}`);
    };
    if (up) {
      await Promise.all(pairs.map(([low, high]) => call(high, low)));
      await Promise.all(pairs.map(([low, high]) => call(low, high)));
    } else await Promise.all(pairs.flatMap(([low, high]) => [call(low, high), call(high, low)]));
    return at;
  }

  async propose(id: string, kind: EventKind, payload: string): Promise<string> {
    const r = await this.request<{ id: string; error?: string }>(id, '/propose', { kind, payload });
    if (r.status !== 202) throw new Error(`POST /propose on ${id}: ${r.status} ${r.body.error}`);
    this.note('propose', `${id} proposed ${kind} ${payload} as ${r.body.id}`);
    return r.body.id;
  }

  /** One /log?proposals=1 and one /status per node, into the history. */
  async snapshot(): Promise<void> {
    await Promise.all(
      this.ids.map(async (id) => {
        const [log, status] = await Promise.all([this.log(id), this.status(id)]);
        const at = Date.now();
        this.history.logs.push({ node: id, at, entries: log.entries, proposals: log.proposals });
        this.history.statuses.push({ node: id, at, membership: status.membership, control: status.control });
      }),
    );
  }

  /** Polls `done` every `stepMs`; the ms it took, or undefined after `timeoutMs`. */
  waitUntil(done: () => Promise<boolean>, timeoutMs: number, stepMs = 40): Promise<number | undefined> {
    return pollUntil(done, timeoutMs, stepMs);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.stop(3000)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The minority side of a split: the first floor((N-1)/2) nodes. */
export const minorityOf = (ids: readonly string[]): string[] => ids.slice(0, Math.floor((ids.length - 1) / 2));

export interface SplitResult {
  minority: string[];
  majority: string[];
  cutAt: number;
  /** Latest moment a minority node switched to `minority` (its /status `since`), minus the cut; undefined: never. */
  minorityDetectionMs: number | undefined;
  /** When polling first saw every majority node reach exactly its side. */
  majorityDetectionMs: number | undefined;
}

/** Cuts the minority from the majority with /links and waits until every node sees its side. */
export async function split(m: NodeMesh, timeoutMs = 20 * m.heartbeatMs): Promise<SplitResult> {
  const minority = minorityOf(m.ids);
  const majority = m.ids.filter((x) => !minority.includes(x));
  const cutAt = await m.links(minority, majority, false);
  let majorityDetectionMs: number | undefined;
  let since: number[] = [];
  await m.waitUntil(async () => {
    const st = await Promise.all(m.ids.map((id) => m.status(id)));
    const seen = Date.now() - cutAt;
    const maj = st.filter((s) => majority.includes(s.id));
    if (majorityDetectionMs === undefined && maj.every((s) => s.membership.reachable.length === majority.length))
      majorityDetectionMs = seen;
    const min = st.filter((s) => minority.includes(s.id));
    const minorityDone = min.every((s) => s.membership.partition === 'minority');
    if (minorityDone) since = min.map((s) => s.membership.since);
    return minorityDone && majorityDetectionMs !== undefined;
  }, timeoutMs);
  const minorityDetectionMs = since.length === minority.length ? Math.max(0, ...since.map((s) => s - cutAt)) : undefined;
  return { minority, majority, cutAt, minorityDetectionMs, majorityDetectionMs };
}

/** Problems with detection: never, or later than 3 heartbeat intervals (plus one poll for the polled side). */
export function detectionProblem(heartbeatMs: number, s: SplitResult, pollSlackMs = 120): string | undefined {
  const bound = 3 * heartbeatMs;
  if (s.minorityDetectionMs === undefined) return `the minority (${s.minority.join(', ')}) never reported minority`;
  if (s.majorityDetectionMs === undefined) return `the majority (${s.majority.join(', ')}) never saw the cut`;
  if (s.minorityDetectionMs > bound) return `minority detected after ${s.minorityDetectionMs} ms, over 3 heartbeat intervals (${bound} ms)`;
  if (s.majorityDetectionMs > bound + pollSlackMs)
    return `majority detected the cut after ${s.majorityDetectionMs} ms, over 3 heartbeat intervals (${bound} ms) + ${pollSlackMs} ms polling`;
  return undefined;
}

/** Every node's committed log, as slot:eventHash lists. */
export async function logKeys(m: NodeMesh): Promise<Map<string, string>> {
  const logs = await Promise.all(m.ids.map(async (id) => [id, (await m.log(id)).entries.map((e) => `${e.slot}:${e.eventHash}`).join(',')]));
  return new Map(logs as [string, string][]);
}
