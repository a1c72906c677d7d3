// Two node processes with the attacker in the path (docs/mesh.md §10, the
// node contract §1-§4): both nodes start from the run's node command
// template, and each node's config sends its traffic to the other through a
// TcpAttacker of its own (a proxy per directed link, as chaos does with
// Toxiproxy), so whichever side dials, its session runs through the
// attacker. The check sees the nodes only as the contract shows them: the
// ready line, the admin API (/status, /send, /received, /metrics) and the
// frames on the wire.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { NodeCommandTemplate } from '../../bench/slo/node-command.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { NodeProcess, prepareMesh } from '../../src/mesh/node/launcher.ts';
import { adminRequest, pollUntil } from '../control/nodes.ts';
import { Attacker } from './attacker/attacker.ts';
import { TcpAttacker, type TcpLink } from './attacker/tcp.ts';

export const PAIR_IDS = ['node-1', 'node-2'] as const;
export type PairId = (typeof PAIR_IDS)[number];
const HEARTBEAT_MS = 200;
/** The contract's wait for a ready line (docs/node-contract.md §3): 30 s + 5 s per node. */
const READY_MS = 30_000 + 5_000 * PAIR_IDS.length;

/** A link through one of the attackers, with who dialled whom on it. */
export interface PairLink {
  link: TcpLink;
  /** The node that dialled (the initiator; `i2r` frames come from it). */
  dialer: PairId;
  /** The node behind the attacker (the responder). */
  listener: PairId;
  index: number;
}

export class NodePair {
  private readonly tokens = new Map<PairId, string>();

  private constructor(
    readonly dir: string,
    readonly command: NodeCommandTemplate,
    readonly procs: Map<PairId, NodeProcess>,
    /** `to` -> the attacker in front of node `to`, which the other node dials. */
    private readonly attackers: Map<PairId, TcpAttacker>,
  ) {
    for (const [id, p] of procs) this.tokens.set(id, readFileSync(p.ready.adminTokenFile, 'utf8').trim());
  }

  static async start(o: { command: NodeCommandTemplate; backend: CryptoBackend }): Promise<NodePair> {
    const dir = mkdtempSync(join(tmpdir(), 'pqc-negative-pair-'));
    const specs = await prepareMesh(dir, 2, {
      backend: o.backend,
      ids: [...PAIR_IDS],
      extra: {
        timers: { heartbeatIntervalMs: HEARTBEAT_MS, deadPeerTimeoutMs: 10 * HEARTBEAT_MS, reconnectMinMs: 20, reconnectMaxMs: 200 },
      },
    });
    const attackers = new Map<PairId, TcpAttacker>();
    const procs = new Map<PairId, NodeProcess>();
    try {
      for (const s of specs) {
        const port = Number(s.listen.split(':')[1]);
        attackers.set(s.id as PairId, await TcpAttacker.start(port, () => new Attacker()));
      }
      // Each node dials its peer at the attacker in front of that peer.
      for (const s of specs) {
        const config = parse(readFileSync(s.config, 'utf8')) as { peers: { id: PairId; address: string }[] };
        for (const p of config.peers) p.address = `127.0.0.1:${attackers.get(p.id)!.port}`;
        writeFileSync(s.config, stringify(config));
      }
      const started = await Promise.allSettled(
        specs.map((s) => NodeProcess.spawnArgv(o.command.argv, s.config, { logFile: join(dir, `${s.id}.log`), timeoutMs: READY_MS })),
      );
      for (const [i, r] of started.entries()) if (r.status === 'fulfilled') procs.set(specs[i].id as PairId, r.value);
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw new Error(`${(failed.reason as Error).message} (node command: ${o.command.text}; logs in ${dir})`);
      return new NodePair(dir, o.command, procs, attackers);
    } catch (e) {
      // The directory stays: its node logs are what the error points at.
      await Promise.all([...procs.values()].map((p) => p.stop(2000)));
      await Promise.all([...attackers.values()].map((a) => a.close()));
      throw e;
    }
  }

  /** Every link through either attacker so far, oldest first per attacker. */
  links(): PairLink[] {
    return PAIR_IDS.flatMap((listener) => {
      const dialer = PAIR_IDS.find((id) => id !== listener)!;
      return this.attackers.get(listener)!.links.map((link, index) => ({ link, dialer, listener, index }));
    });
  }

  /** The newest link both of whose sockets are still open, once the nodes report each other connected. */
  async established(timeoutMs: number): Promise<PairLink | undefined> {
    let found: PairLink | undefined;
    await pollUntil(async () => {
      const open = this.links().filter((l) => !l.link.client.destroyed && !l.link.server.destroyed);
      if (open.length === 0) return false;
      const both = await Promise.all(PAIR_IDS.map((id) => this.connectedTo(id, PAIR_IDS.find((x) => x !== id)!)));
      if (!both.every(Boolean)) return false;
      found = open.at(-1);
      return true;
    }, timeoutMs);
    return found;
  }

  async connectedTo(id: PairId, peer: PairId): Promise<boolean> {
    const s = await this.request<{ peers: { id: string; connected: boolean }[] }>(id, '/status');
    return s.body.peers.some((p) => p.id === peer && p.connected);
  }

  async request<T>(id: PairId, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    return adminRequest<T>(this.procs.get(id)!.ready.admin, this.tokens.get(id)!, path, body);
  }

  /** POST /send; the HTTP status (200 once the peer's application acknowledged it). */
  async send(from: PairId, to: PairId, payload: string, timeoutMs: number): Promise<number> {
    return (await this.request(from, '/send', { to, payload, timeoutMs })).status;
  }

  async received(id: PairId): Promise<{ from: string; payload: string }[]> {
    return (await this.request<{ from: string; payload: string }[]>(id, '/received')).body;
  }

  /** pqc_handshake_failure_total{reason} of a node, from its /metrics (0 when the series is absent). */
  async failures(id: PairId, reason: string): Promise<number> {
    const text = await (
      await fetch(`${this.procs.get(id)!.ready.admin}/metrics`, { headers: { authorization: `Bearer ${this.tokens.get(id)}` } })
    ).text();
    // Other labels (a node's default labels) may sit beside `reason`, in any order.
    return text
      .split('\n')
      .filter((l) => l.startsWith('pqc_handshake_failure_total{') && l.includes(`reason="${reason}"`))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  }

  /** Stops both nodes and the attackers; `keep` leaves the directory (configs, node logs) for a failure's evidence. */
  async stop(keep = false): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.stop(3000)));
    await Promise.all([...this.attackers.values()].map((a) => a.close()));
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}
