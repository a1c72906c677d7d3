// The --mesh side of a scenario run (docs/node-contract.md §9): nodes someone
// else started, reached over their admin APIs, their links through proxies the
// harness creates on the user's Toxiproxy. Nothing here spawns or kills a
// process, so a nemesis that crashes nodes cannot run and says so.
import { randomBytes } from 'node:crypto';
import type { Toxiproxy } from 'toxiproxy-node-client';
import { ConfigError } from '../../src/errors.ts';
import type { ExternalMesh } from '../mesh-file.ts';
import { nemesisSchedule } from '../nemesis/schedule.ts';
import { isLinkAction, Topology } from '../topology.ts';
import type { AdminTarget } from './admin.ts';
import type { ScenarioSpec } from './scenarios.ts';

/** Proxies of a --mesh run are named `pqc_<from>_<to>`: stable, so a rerun replaces an interrupted run's leftovers. */
const MESH_PROXY_PREFIX = 'pqc';

/** Why this scenario cannot run against an external mesh, or undefined when it can. */
export function meshUnsupported(spec: ScenarioSpec, mesh: ExternalMesh, seed: number): string | undefined {
  const ids = mesh.targets.map((t) => t.id).sort();
  const schedule = nemesisSchedule(spec.nemesis, { nodes: ids, seed, durationMs: spec.durationMs });
  const crash = schedule.actions.find((a) => !isLinkAction(a.action));
  if (crash)
    return `unsupported with --mesh: ${spec.nemesis} needs to ${crash.action.op} node processes, and the harness did not start them`;
  return undefined;
}

export function assertMeshRunnable(spec: ScenarioSpec, mesh: ExternalMesh, seed: number, env: NodeJS.ProcessEnv): void {
  if (!env.TOXIPROXY_URL?.trim())
    throw new ConfigError(`--mesh ${mesh.file}: set TOXIPROXY_URL to the Toxiproxy the mesh's links go through (docs/node-contract.md §9)`);
  const why = meshUnsupported(spec, mesh, seed);
  if (why) throw new ConfigError(`chaos/${spec.name}: ${why}`);
}

export async function attachExternalMesh(client: Toxiproxy, mesh: ExternalMesh): Promise<{ topology: Topology; targets: AdminTarget[] }> {
  const topology = await Topology.fromLinks(client, mesh.links, MESH_PROXY_PREFIX, true);
  return { topology, targets: mesh.targets };
}

/**
 * The workload's payload prefix. A spawned mesh starts empty, so `s<seed>`
 * replays exactly; an external mesh keeps what earlier runs delivered, so a
 * run nonce keeps a rerun with the same seed from reading those as duplicates.
 */
export function runTag(seed: number, mesh?: ExternalMesh): string {
  return mesh ? `s${seed}.${randomBytes(3).toString('hex')}` : `s${seed}`;
}
