// Real node processes on loopback for the multi-process tests.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { NodeProcess, prepareMesh, type MeshNodeSpec, type NodeCommand } from '../../src/mesh/node/launcher.ts';
import type { NodeStatus, RotationResult } from '../../src/mesh/node/node.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const TEST_NODE_COMMAND: NodeCommand = {
  command: process.execPath,
  args: [join(ROOT, 'bin/pqc-harness.mjs'), 'node'],
};

export const FAST_TIMERS = { handshakeTimeoutMs: 5000, reconnectMinMs: 50, reconnectMaxMs: 400 };

export class TestMesh {
  readonly procs = new Map<string, NodeProcess>();
  private constructor(
    readonly dir: string,
    readonly specs: MeshNodeSpec[],
  ) {}

  static async create(n: number, o: { ids?: string[]; perNode?: Record<string, Record<string, unknown>> } = {}): Promise<TestMesh> {
    const dir = mkdtempSync(join(tmpdir(), 'pqc-mesh-test-'));
    const specs = await prepareMesh(dir, n, {
      backend: createNobleBackend(),
      backendName: 'noble',
      ids: o.ids,
      extra: { timers: FAST_TIMERS },
      perNode: o.perNode,
    });
    return new TestMesh(dir, specs);
  }

  async start(id: string, extraArgs: string[] = []): Promise<NodeProcess> {
    const spec = this.specs.find((s) => s.id === id)!;
    const p = await NodeProcess.spawn(TEST_NODE_COMMAND, spec.config, { logFile: join(this.dir, `${id}.log`), extraArgs });
    this.procs.set(id, p);
    return p;
  }

  async startAll(ids = this.specs.map((s) => s.id)): Promise<void> {
    await Promise.all(ids.map((id) => this.start(id)));
  }

  admin(id: string): string {
    return this.procs.get(id)!.ready.admin;
  }

  /** fetch() against a node's admin API with its bearer token (and a JSON content type when there is a body). */
  request(id: string, path: string, init: RequestInit = {}): Promise<Response> {
    const p = this.procs.get(id)!;
    const headers: Record<string, string> = { authorization: `Bearer ${adminToken(p)}` };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${p.ready.admin}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  }

  async status(id: string): Promise<NodeStatus> {
    return (await this.request(id, '/status')).json() as Promise<NodeStatus>;
  }

  async metrics(id: string): Promise<string> {
    return (await this.request(id, '/metrics')).text();
  }

  async send(from: string, to: string, payload: string, timeoutMs = 20_000): Promise<Response> {
    return this.request(from, '/send', { method: 'POST', body: JSON.stringify({ to, payload, timeoutMs }) });
  }

  async received(id: string): Promise<{ from: string; payload: string }[]> {
    return (await this.request(id, '/received')).json() as Promise<{ from: string; payload: string }[]>;
  }

  async rotate(id: string): Promise<{ sessions: RotationResult[] }> {
    return (await this.request(id, '/rotate', { method: 'POST' })).json() as Promise<{ sessions: RotationResult[] }>;
  }

  /** Every listed node has an open session with every other listed node. */
  async fullyConnected(ids = [...this.procs.keys()], timeoutMs = 20_000): Promise<void> {
    await waitFor(
      async () => {
        for (const id of ids) {
          const s = await this.status(id);
          for (const other of ids) if (other !== id && !s.peers.find((p) => p.id === other)?.connected) return false;
        }
        return true;
      },
      timeoutMs,
      `mesh ${ids.join(',')} fully connected`,
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.stop(3000)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Value of a counter series in Prometheus text, e.g. pqc_handshake_failure_total{reason="unknown_ca"}. */
export function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}

/** The bearer token of a node process's admin API, from the file its ready line names. */
export function adminToken(p: NodeProcess): string {
  return readFileSync(p.ready.adminTokenFile, 'utf8').trim();
}

/** Headers a harness sends to a node's admin API. */
export async function adminHeaders(p: NodeProcess): Promise<Record<string, string>> {
  return { authorization: `Bearer ${adminToken(p)}` };
}
