// What one run is: the command, backends, profile, seed and filters. A plan
// is plain data, so a worker process can rebuild exactly the same checks.
import { loadBackend } from '../crypto/select.ts';
import type { CryptoBackend } from '../crypto/backend.ts';
import type { Check, CheckContext, Profile } from '../check/evidence.ts';
import { suitesFor, type Command } from './profiles.ts';

export interface RunPlan {
  command: Command;
  backends: readonly string[];
  profile: Profile;
  seed: number;
  vectorsDir?: string;
  /** Keeps only checks whose id contains this text, or one of several separated by commas. */
  only?: string;
  /** The `--node-command` template every mesh-level check starts its node processes with (default: the reference node). */
  nodeCommand?: string;
}

export interface BuiltRun {
  backends: CryptoBackend[];
  checks: Check[];
  ctx: CheckContext;
}

export async function loadBackends(specs: readonly string[]): Promise<CryptoBackend[]> {
  const out: CryptoBackend[] = [];
  for (const spec of specs) out.push(await loadBackend(spec));
  return out;
}

export async function buildRun(plan: RunPlan): Promise<BuiltRun> {
  const backends = await loadBackends(plan.backends);
  const env = {
    backends,
    profile: plan.profile,
    seed: plan.seed,
    vectorsDir: plan.vectorsDir,
    ...(plan.nodeCommand ? { nodeCommand: plan.nodeCommand } : {}),
  };
  const checks: Check[] = [];
  const runIds = new Set<string>();
  for (const suite of suitesFor(plan.command, plan.profile)) {
    let built = await suite.checks({ ...env, runIds });
    if (plan.only) {
      const texts = plan.only.split(',').filter(Boolean);
      built = built.filter((c) => texts.some((t) => c.id.includes(t)));
    }
    for (const c of built) runIds.add(c.id);
    checks.push(...built);
  }
  return { backends, checks, ctx: { seed: plan.seed, profile: plan.profile, vectorsDir: plan.vectorsDir } };
}

/** A check's identity across processes: the same plan builds the same keys in the same order. */
export const checkKey = (c: Pick<Check, 'id' | 'backend'>) => `${c.id}@${c.backend ?? ''}`;
