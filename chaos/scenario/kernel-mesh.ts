// The mesh of a `--driver kernel` run: every node process in its own network
// namespace (chaos/kernel/netns.ts), started through `ip netns exec`, listening
// and serving its admin API on its namespace address, dialing its peers
// directly: no proxy, partitions are iptables rules (docs/node-contract.md §10).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startSloMesh, type SloMesh } from '../../bench/slo/mesh.ts';
import type { NodeCommandTemplate } from '../../bench/slo/node-command.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { ConfigError } from '../../src/errors.ts';
import { isKernelAction, KernelNet, kernelUnavailable } from '../kernel/netns.ts';
import { nemesisSchedule } from '../nemesis/schedule.ts';
import { readToken, type AdminTarget } from './admin.ts';
import type { ScenarioSpec } from './scenarios.ts';

/** Every node listens on this port of its own namespace address. */
const MESH_PORT = 7000;

/** Why this scenario cannot run on the kernel driver (a link fault, a crash), or undefined. */
export function kernelUnsupported(spec: ScenarioSpec, nodes: number, seed: number): string | undefined {
  // Which ops a schedule holds does not depend on the node ids, only who is cut; any n distinct ids tell.
  const ids = Array.from({ length: nodes }, (_, i) => `n${i}`);
  const schedule = nemesisSchedule(spec.nemesis, { nodes: ids, seed, durationMs: spec.durationMs });
  const other = schedule.actions.find((a) => !isKernelAction(a.action));
  return other && `unsupported on the kernel driver: ${spec.nemesis} needs ${other.action.op}, which is not an iptables partition`;
}

export function assertKernelRunnable(spec: ScenarioSpec, nodes: number, seed: number): void {
  const why = kernelUnavailable() ?? kernelUnsupported(spec, nodes, seed);
  if (why) throw new ConfigError(`chaos/${spec.name}: ${why}`);
}

export interface KernelMeshOptions {
  nodes: number;
  seed: number;
  command: NodeCommandTemplate;
  backend: CryptoBackend;
  dir: string;
  env?: NodeJS.ProcessEnv;
  timers: Record<string, number>;
}

export async function startKernelMesh(o: KernelMeshOptions): Promise<{ net: KernelNet; mesh: SloMesh; targets: AdminTarget[] }> {
  const nsOf = new Map<string, string>();
  let net: KernelNet | undefined;
  // The user's node command, run inside the node's namespace (chosen by its config file).
  const inNamespace: NodeCommandTemplate = {
    text: `ip netns exec <pqc-chaos namespace> ${o.command.text}`,
    argv(config) {
      const inner = o.command.argv(config);
      return { command: 'ip', args: ['netns', 'exec', nsOf.get(config)!, inner.command, ...inner.args] };
    },
  };
  try {
    const mesh = await startSloMesh(o.dir, {
      nodes: o.nodes,
      backend: o.backend,
      command: inNamespace,
      env: o.env,
      extra: { timers: o.timers },
      prepare: async (specs) => {
        const kernel = await KernelNet.create(
          specs.map((s) => s.id),
          o.seed,
        );
        net = kernel;
        const at = (id: string) => `${kernel.address(id)}:${MESH_PORT}`;
        for (const s of specs) {
          nsOf.set(s.config, kernel.namespace(s.id));
          const doc = parse(readFileSync(s.config, 'utf8')) as { listen: string; admin: string; peers: { id: string; address: string }[] };
          doc.listen = at(s.id);
          doc.admin = `${kernel.address(s.id)}:0`;
          doc.peers = doc.peers.map((p) => ({ ...p, address: at(p.id) }));
          writeFileSync(s.config, stringify(doc));
        }
      },
    });
    const targets = mesh.nodes.map((x) => ({ id: x.id, admin: x.admin, token: readToken(join(o.dir, `${x.id}.admin-token`)) }));
    return { net: net!, mesh, targets };
  } catch (e) {
    await net?.close();
    throw e;
  }
}
