// The attacker as a Byzantine member on the wire (docs/mesh.md §10.5): a mesh
// of real reference node processes (`pqc-harness node`, admin API on
// loopback) in which one configured member is not a process but the
// attacker. It holds that member's identity files, listens on its mesh
// address, completes real handshakes with the nodes that dial it, and sends
// whatever CONTROL relays the check crafts inside its authenticated channel:
// forged origins, bad signatures, duplicate and non-member votes,
// certificates with too few signers. The receiving node must refuse each,
// count it in /status and in mesh_control_refused_total, and commit nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { controlSigner, type ControlSigner } from '../../src/mesh/control/members.ts';
import type { LogView } from '../../src/mesh/control/plane.ts';
import { FramedConnection } from '../../src/mesh/node/connection.ts';
import { caPaths, nodePaths, readCertificate, readIdentity } from '../../src/mesh/node/identity-files.ts';
import { issueToDir, loadOrCreateCa, NodeProcess, prepareMesh } from '../../src/mesh/node/launcher.ts';
import { Session } from '../../src/mesh/node/session.ts';
import type { NodeStatus } from '../../src/mesh/node/status.ts';
import { trustAnchor } from '../../src/mesh/protocol/certificate.ts';
import { bindCipherSuites } from '../../src/mesh/protocol/ciphersuites.ts';
import { respond } from '../../src/mesh/protocol/handshake.ts';
import { encodeAppMessage } from '../../src/mesh/protocol/messages.ts';
import { referenceProtocol } from '../../src/mesh/protocol/seams.ts';
import { adminRequest, pollUntil } from '../control/nodes.ts';
import type { NodeCommandTemplate } from '../../bench/slo/node-command.ts';

const HEARTBEAT_MS = 200;

export interface ByzantineMeshOptions {
  /** Member ids; the last is the attacker, the others are node processes. */
  members: readonly string[];
  /** Issues the CA and every certificate (and the outsider's). */
  issuer: CryptoBackend;
  /** Starts every node process (negative/node-command.ts: --node-command, a control mutant, or the reference). */
  command: NodeCommandTemplate;
}

/** The attacker's end of one node's session. */
interface Link {
  session: Session;
}

export class ByzantineMesh {
  private readonly tokens = new Map<string, string>();
  /** The attacker's member key, and a CA-certified node outside the member set. */
  readonly signer: ControlSigner;
  readonly outsider: ControlSigner;
  /** How long the nodes took to start and to see every member reachable (evidence). */
  startup = { spawnedMs: 0, reachableMs: 0 };

  private constructor(
    readonly dir: string,
    readonly attackerId: string,
    readonly procs: Map<string, NodeProcess>,
    private readonly listener: Server,
    /** Filled by the listener as nodes dial (and re-dial) the attacker. */
    private readonly links: Map<string, Link>,
    signers: { member: ControlSigner; outsider: ControlSigner },
  ) {
    this.signer = signers.member;
    this.outsider = signers.outsider;
    for (const [id, p] of procs) this.tokens.set(id, readFileSync(p.ready.adminTokenFile, 'utf8').trim());
  }

  get nodeIds(): string[] {
    return [...this.procs.keys()];
  }

  static async start(o: ByzantineMeshOptions): Promise<ByzantineMesh> {
    const t0 = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'pqc-negative-byzantine-'));
    const attackerId = o.members[o.members.length - 1];
    const specs = await prepareMesh(dir, o.members.length, {
      backend: o.issuer,
      ids: [...o.members],
      extra: {
        timers: { heartbeatIntervalMs: HEARTBEAT_MS, deadPeerTimeoutMs: 10 * HEARTBEAT_MS, reconnectMinMs: 20, reconnectMaxMs: 200 },
      },
    });
    const ca = loadOrCreateCa(dir, o.issuer);
    const outsiderFiles = issueToDir(dir, ca, 'outsider', o.issuer);
    const trust = trustAnchor(readCertificate(caPaths(dir).cert), o.issuer);
    const attackerFiles = nodePaths(dir, attackerId);
    const identity = readIdentity(attackerFiles.cert, attackerFiles.key);
    const attackerSpec = specs.find((s) => s.id === attackerId)!;
    const port = Number((parse(readFileSync(attackerSpec.config, 'utf8')) as { listen: string }).listen.split(':')[1]);
    const nodes = specs.filter((s) => s.id !== attackerId);
    const links = new Map<string, Link>();
    // The attacker answers every node that dials it as the member it impersonates, with the reference protocol.
    const listener = createServer((socket) => {
      const conn = new FramedConnection(socket);
      respond(
        {
          identity,
          trust,
          suites: bindCipherSuites(o.issuer),
          offer: ['XWING-MLDSA65'],
          accepts: (s) => !s.classical,
          isPeer: (id) => nodes.some((n) => n.id === id),
          protocol: referenceProtocol,
          timeoutMs: 5000,
        },
        conn,
      ).then(
        (r) => {
          const session = new Session(
            conn,
            r,
            referenceProtocol,
            { afterFrames: 1_000_000, afterMs: 600_000 },
            { heartbeatMs: HEARTBEAT_MS, deadPeerMs: 10 * HEARTBEAT_MS },
            { application: () => undefined, keyUpdated: () => undefined, closed: () => undefined },
          );
          links.set(r.peer.nodeId, { session });
        },
        () => conn.fail(new Error('handshake failed')),
      );
    });
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, '127.0.0.1', resolve);
    });
    const procs = new Map<string, NodeProcess>();
    try {
      const started = await Promise.allSettled(
        nodes.map((n) => NodeProcess.spawnArgv(o.command.argv, n.config, { logFile: join(dir, `${n.id}.log`), timeoutMs: 30_000 })),
      );
      for (const [i, r] of started.entries()) if (r.status === 'fulfilled') procs.set(nodes[i].id, r.value);
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const spawnedMs = Date.now() - t0;
      const mesh = new ByzantineMesh(dir, attackerId, procs, listener, links, {
        member: controlSigner(identity, o.issuer),
        outsider: controlSigner(readIdentity(outsiderFiles.cert, outsiderFiles.key), o.issuer),
      });
      const ready = await mesh.waitUntil(async () => {
        if (nodes.some((n) => !links.has(n.id))) return false;
        const all = await Promise.all(mesh.nodeIds.map((id) => mesh.status(id)));
        return all.every((s) => s.membership.reachable.length === o.members.length);
      }, 30_000);
      if (ready === undefined) throw new Error(`byzantine mesh never fully reachable (logs in ${dir})`);
      mesh.startup = { spawnedMs, reachableMs: Date.now() - t0 };
      return mesh;
    } catch (e) {
      await Promise.all([...procs.values()].map((p) => p.stop(2000)));
      listener.close();
      throw e;
    }
  }

  /** Hands a crafted relay to `node` inside the attacker's channel with it. */
  send(node: string, relay: Uint8Array): void {
    const l = this.links.get(node);
    if (!l?.session.open) throw new Error(`the attacker has no open session with ${node}`);
    l.session.sendApplication(encodeAppMessage({ kind: 'control', relay }));
  }

  async request<T>(id: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const p = this.procs.get(id);
    if (!p) throw new Error(`no node process ${id}`);
    return adminRequest<T>(p.ready.admin, this.tokens.get(id)!, path, body);
  }

  async status(id: string): Promise<NodeStatus> {
    return (await this.request<NodeStatus>(id, '/status')).body;
  }

  async log(id: string): Promise<LogView> {
    return (await this.request<LogView>(id, '/log?proposals=1')).body;
  }

  /** mesh_control_refused_total{layer,reason} of a node, from /metrics. */
  async refusedMetric(id: string, layer: string, reason: string): Promise<number> {
    const p = this.procs.get(id)!;
    // Prometheus text, not JSON; public by default (adminMetricsPublic).
    const text = await (await fetch(`${p.ready.admin}/metrics`, { headers: { authorization: `Bearer ${this.tokens.get(id)}` } })).text();
    const line = text.split('\n').find((l) => l.startsWith(`mesh_control_refused_total{layer="${layer}",reason="${reason}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  async propose(id: string, kind: string, payload: string): Promise<string> {
    const r = await this.request<{ id: string; error?: string }>(id, '/propose', { kind, payload });
    if (r.status !== 202) throw new Error(`POST /propose on ${id}: ${r.status} ${r.body.error}`);
    return r.body.id;
  }

  waitUntil(done: () => Promise<boolean>, timeoutMs: number, stepMs = 50): Promise<number | undefined> {
    return pollUntil(done, timeoutMs, stepMs);
  }

  async stop(): Promise<void> {
    for (const l of this.links.values()) l.session.close();
    await Promise.all([...this.procs.values()].map((p) => p.stop(3000)));
    await new Promise<void>((r) => this.listener.close(() => r()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
