// Runs one scenario against a mesh a node command starts: one Toxiproxy
// proxy per directed link (chaos/topology.ts), the nemesis schedule applied
// at its times, the client workload throughout, /status and /log polled into
// a history, then the checkers. Everything random derives from the seed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { parse, stringify } from 'yaml';
import { startSloMesh, type SloMesh } from '../../bench/slo/mesh.ts';
import type { NodeCommandTemplate } from '../../bench/slo/node-command.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { toxiproxyFor } from '../toxiproxy/index.ts';
import { isLinkAction, Topology } from '../topology.ts';
import { nemesisSchedule, type Schedule } from '../nemesis/schedule.ts';
import { seededRandom } from '../nemesis/random.ts';
import { emptyHistory, type History, type LogSnapshot, type StatusSnapshot } from '../checkers/history.ts';
import type { PartitionWindow, ReachSnapshot } from '../checkers/detection.ts';
import { adminCall, readToken, type AdminTarget } from './admin.ts';
import type { CrashWindow } from '../checkers/rejoin.ts';
import { applyNodeAction } from './crash.ts';
import { whileHoldingPorts } from './hold-ports.ts';
import { judge, type ScenarioVerdict } from './judge.ts';
import type { ScenarioSpec } from './scenarios.ts';
import { Timeline } from './timeline.ts';
import { Workload, type WorkloadResult } from './workload.ts';
import { assertMeshRunnable, attachExternalMesh, runTag } from './external.ts';
import type { ExternalMesh } from '../mesh-file.ts';
import { assertKernelRunnable, startKernelMesh } from './kernel-mesh.ts';

export interface RunOptions {
  spec: ScenarioSpec;
  nodes?: number;
  seed: number;
  command: NodeCommandTemplate;
  backend: CryptoBackend;
  /** Where configs, identities, logs and the history go. */
  dir: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines (a terminal), optional. */
  progress?: (line: string) => void;
  /** Drive these already running nodes (--mesh) instead of spawning any: chaos/external.ts. */
  mesh?: ExternalMesh;
  /** `kernel`: nodes in network namespaces, partitions as iptables rules (chaos/scenario/kernel-mesh.ts). Default toxiproxy. */
  driver?: 'toxiproxy' | 'kernel';
}

export interface ScenarioRun extends ScenarioVerdict {
  scenario: string;
  nemesis: string;
  seed: number;
  nodes: number;
  command: string;
  schedule: Schedule;
  history: History;
  workload: Omit<WorkloadResult, 'sends'>;
  wallMs: number;
  /** Time from the first node spawned to every session up. */
  meshUpMs: number;
  crashes: CrashWindow[];
  /** What the partition checkers judged, so a recorded run can be judged again (test/chaos/recorded-mutants.test.ts). */
  windows: PartitionWindow[];
  reach: ReachSnapshot[];
}

/** Timers that let a 5-node mesh notice a cut within a second and reconnect quickly after the heal. */
export const CHAOS_TIMERS = { heartbeatIntervalMs: 200, deadPeerTimeoutMs: 1000, reconnectMinMs: 50, reconnectMaxMs: 400 };
const POLL_MS = 150;

interface PeerLine {
  id: string;
  reachable?: boolean;
  connected?: boolean;
}
interface StatusBody {
  peers?: PeerLine[];
  membership?: StatusSnapshot['membership'];
  control?: StatusSnapshot['control'];
}

/** Points every node's peers at the proxies of its outgoing links. */
export function routeThroughProxies(configs: { id: string; config: string }[], topology: Topology): void {
  for (const c of configs) {
    const doc = parse(readFileSync(c.config, 'utf8')) as { peers: { id: string; address: string }[] };
    doc.peers = doc.peers.map((p) => ({ ...p, address: topology.address(c.id, p.id) }));
    writeFileSync(c.config, stringify(doc));
  }
}

async function waitConnected(targets: readonly AdminTarget[], timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const up = await Promise.all(
      targets.map(async (t) => {
        const a = await adminCall<StatusBody>(t, 'GET', '/status');
        return a.ok && (a.body.peers ?? []).every((p) => p.connected);
      }),
    );
    if (up.every(Boolean)) return;
    if (performance.now() - t0 > timeoutMs) throw new Error(`mesh not fully connected through the proxies within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleepUntil = (timeline: Timeline, atMs: number) => new Promise((r) => setTimeout(r, Math.max(0, atMs - timeline.now())));

export async function runScenario(o: RunOptions): Promise<ScenarioRun> {
  const started = performance.now();
  const n = o.mesh ? o.mesh.targets.length : (o.nodes ?? o.spec.nodes);
  const say = o.progress ?? (() => {});
  if (o.mesh) assertMeshRunnable(o.spec, o.mesh, o.seed, o.env ?? process.env);
  if (o.driver === 'kernel') assertKernelRunnable(o.spec, n, o.seed);
  const tag = runTag(o.seed, o.mesh);
  const proxy = await toxiproxyFor(o.env ?? process.env);
  let mesh: SloMesh | undefined;
  /** What applies the nemesis to the links: the proxies, or (--driver kernel) iptables in the nodes' namespaces. */
  let topology: Pick<Topology, 'size' | 'apply' | 'close'> | undefined;
  try {
    const client = new Toxiproxy(proxy.url);
    const meshT0 = performance.now();
    let targets: AdminTarget[];
    if (o.mesh) ({ topology, targets } = await attachExternalMesh(client, o.mesh));
    else if (o.driver === 'kernel') ({ net: topology, mesh, targets } = await startKernelMesh({ ...o, nodes: n, timers: CHAOS_TIMERS }));
    else {
      mesh = await startSloMesh(o.dir, {
        nodes: n,
        backend: o.backend,
        command: o.command,
        env: o.env,
        extra: { timers: CHAOS_TIMERS },
        // The same seed, the same key material (docs/node-contract.md §7), where the backend can take keygen seeds.
        identitySeed: o.backend.deterministic ? o.seed : undefined,
        prepare: async (specs) => {
          const proxies = await whileHoldingPorts(
            specs.map((x) => x.listen),
            () => Topology.create(client, specs, `chaos${process.pid}_${o.seed}`),
          );
          topology = proxies;
          routeThroughProxies(specs, proxies);
        },
      });
      targets = mesh.nodes.map((x) => ({
        id: x.id,
        admin: x.admin,
        token: readToken(join(o.dir, `${x.id}.admin-token`)),
      }));
    }
    const ids = targets.map((t) => t.id).sort();
    await waitConnected(targets, 10_000 + 2000 * n);
    const meshUpMs = Math.round(performance.now() - meshT0);
    say(`${o.spec.name}: ${n} nodes up through ${topology!.size} ${o.driver === 'kernel' ? 'namespaces' : 'proxies'} in ${meshUpMs} ms`);

    const schedule = nemesisSchedule(o.spec.nemesis, { nodes: ids, seed: o.seed, durationMs: o.spec.durationMs });
    const timeline = new Timeline();
    if (!o.backend.deterministic)
      timeline.add('note', `identities are fresh: backend ${o.backend.name} takes no keygen seed, so the keys do not replay`, 0);
    const history = emptyHistory(ids);
    const reach: ReachSnapshot[] = [];
    const windows: PartitionWindow[] = [];
    const crashes: CrashWindow[] = [];
    const workload = new Workload({
      nodes: targets,
      rng: seededRandom(o.seed ^ 0x5eed),
      timeline,
      tag,
      intervalMs: 40,
      sendTimeoutMs: o.spec.durationMs,
      proposeEvery: 10,
    });
    let logMissing: string | undefined;
    const lastView = new Map<string, string>();
    const poll = async () => {
      await Promise.all(
        targets.map(async (t) => {
          const s = await adminCall<StatusBody>(t, 'GET', '/status', undefined, 2000);
          const at = timeline.now();
          if (s.ok) {
            const reachable = (s.body.peers ?? [])
              .filter((p) => p.reachable ?? p.connected)
              .map((p) => p.id)
              .sort();
            reach.push({ node: t.id, at, reachable });
            const view = `${s.body.membership?.partition ?? ''} [${reachable.join(', ')}]`;
            if (lastView.get(t.id) !== view) {
              if (lastView.has(t.id)) timeline.add('note', `${t.id} sees ${view}`, at);
              lastView.set(t.id, view);
            }
            if (s.body.membership) history.statuses.push({ node: t.id, at, membership: s.body.membership, control: s.body.control });
          }
          if (logMissing) return;
          const l = await adminCall<{ entries: LogSnapshot['entries']; proposals?: LogSnapshot['proposals'] }>(
            t,
            'GET',
            '/log?proposals=1',
            undefined,
            2000,
          );
          if (!l.ok && l.missing) logMissing = `${t.id} has no GET /log (${l.error})`;
          else if (l.ok) history.logs.push({ node: t.id, at: timeline.now(), entries: l.body.entries, proposals: l.body.proposals });
        }),
      );
    };
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await poll();
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();

    workload.start();
    let open: PartitionWindow | undefined;
    for (const { atMs, action } of schedule.actions) {
      await sleepUntil(timeline, atMs);
      if (!isLinkAction(action)) {
        // An external mesh (--mesh) has no processes here; assertMeshRunnable refused its crash nemeses.
        if (!mesh) throw new Error(`${action.op} ${action.node}: no process launcher for this mesh`);
        await applyNodeAction(action, mesh, targets, timeline, crashes);
        say(`${o.spec.name}: ${timeline.now()} ms ${action.op} ${action.node}`);
        continue;
      }
      await topology!.apply(action);
      const at = timeline.now();
      if (action.op === 'partition') {
        const p = action.partition;
        timeline.add('partition', `${p.spec}: ${p.components.map((c) => `[${c.join(', ')}]`).join(' | ')} (${p.cut.length} links cut)`, at);
        if (open) open.to = at;
        open = { partition: p, from: at, to: Number.POSITIVE_INFINITY };
        windows.push(open);
      } else if (action.op === 'heal') {
        if (open) open.to = at;
        open = undefined;
        timeline.add('heal', 'every link restored', at);
      } else timeline.add('note', `${action.op}${'links' in action ? ` on ${action.links.length} links` : ''}`, at);
      say(`${o.spec.name}: ${at} ms ${action.op}`);
    }
    await sleepUntil(timeline, o.spec.durationMs);
    const result = await workload.stop();
    // Delivery after the heal: every acknowledged message read, within the bound.
    const healAt = Math.max(0, ...timeline.events.filter((e) => e.kind === 'heal').map((e) => e.at));
    const want = new Set(result.sends.filter((s) => s.outcome === 'acked').map((s) => `${s.from}|${s.to}|${s.payload}`));
    const deadline = healAt + o.spec.convergeBoundMs;
    for (;;) {
      history.receipts = [];
      for (const t of targets) {
        const r = await adminCall<{ from: string; payload: string }[]>(t, 'GET', '/received');
        if (r.ok)
          for (const m of r.body)
            if (m.payload.startsWith(`${tag}-`))
              history.receipts.push({ node: t.id, from: m.from, payload: m.payload, at: timeline.now() });
      }
      const got = new Set(history.receipts.map((r) => `${r.from}|${r.node}|${r.payload}`));
      if ([...want].every((k) => got.has(k)) || timeline.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    polling = false;
    await poller;
    await poll();
    const deliveries = history.receipts.length;
    if (deliveries) timeline.add('note', `${deliveries} messages read at their destinations by ${timeline.now()} ms`);
    history.sends = result.sends;
    const firstAck = result.sends.find((s) => s.outcome === 'acked');
    if (firstAck) timeline.add('note', `first acknowledged delivery ${firstAck.from}->${firstAck.to}`, firstAck.endedAt);
    history.timeline = timeline.sorted();
    const closedWindows = windows.map((w) => ({ ...w, to: Number.isFinite(w.to) ? w.to : timeline.now() }));
    const verdict = judge({
      spec: o.spec,
      nodes: ids,
      history,
      windows: closedWindows,
      reach,
      logMissing,
      proposeMissing: result.proposeMissing,
      proposals: result.proposals,
      crashes,
    });
    const { sends: _sends, ...workloadRest } = result;
    const run: ScenarioRun = {
      scenario: o.spec.name,
      nemesis: o.spec.nemesis,
      seed: o.seed,
      nodes: n,
      command: o.command.text,
      schedule,
      history,
      workload: workloadRest,
      wallMs: Math.round(performance.now() - started),
      meshUpMs,
      crashes,
      windows: closedWindows,
      reach,
      ...verdict,
    };
    writeFileSync(join(o.dir, 'history.json'), `${JSON.stringify(run, null, 1)}\n`);
    return run;
  } finally {
    await mesh?.stop();
    await topology?.close();
    await proxy.close();
  }
}
