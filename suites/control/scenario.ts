// What every control check shares (docs/control-plane.md §7): a cluster of
// simulated members running the protocol under test, hostile messages
// recorded as injections, and the verdict from the chaos/checkers over the
// collected History. A check passes on valid, fails on invalid or unknown.
import type { Verdict } from '../../src/check/evidence.ts';
import { fail, pass } from '../../src/check/evidence.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import type { ControlProtocol } from '../../src/mesh/control/seams.ts';
import { certificateVerifier, checkSafety, type CheckerResult, type Injection } from '../../chaos/checkers/index.ts';
import { Cluster } from './cluster.ts';

export interface ControlCheckEnv {
  backend: CryptoBackend;
  seed: number;
  /** Simulated members (the real-process versions run 3 in pr, 5 and 7 in release). */
  size: number;
}

/** Sequence numbers above anything an honest node reaches in a check. */
export const HIGH_SEQ = 1n << 40n;

/** The verdict of a set of checker results: the first invalid, else the first unknown, fails; the results (five witnesses each) are evidence. */
export function judgeCheckers(results: CheckerResult[], head: Record<string, unknown>, extra: Record<string, unknown> = {}): Verdict {
  const evidence = {
    ...head,
    checkers: results.map((r) => ({
      checker: r.checker,
      verdict: r.verdict,
      reason: r.reason,
      witnesses: r.witnesses.slice(0, 5),
      stats: r.stats,
    })),
    ...extra,
  };
  const bad = results.find((r) => r.verdict === 'invalid') ?? results.find((r) => r.verdict === 'unknown');
  return bad ? fail(`${bad.checker}: ${bad.verdict}: ${bad.reason}`, evidence) : pass(evidence);
}

export function judge(c: Cluster, results: CheckerResult[], extra: Record<string, unknown> = {}): Verdict {
  return judgeCheckers(results, { seed: c.opts.seed, nodes: c.ids.length, protocol: c.opts.protocol?.name ?? 'reference' }, extra);
}

export function cluster(protocol: ControlProtocol, env: ControlCheckEnv, size = env.size): Cluster {
  const c = new Cluster({ size, backend: env.backend, seed: env.seed, protocol, recordWire: true });
  c.run(3 * c.heartbeatMs);
  c.snapshot();
  return c;
}

export const safety = (c: Cluster, reported: 'invalid' | 'ignore' = 'invalid') =>
  checkSafety(c.history, { verify: certificateVerifier(c.pki.trust, c.history.certificates!, c.clock), reportedConflicts: reported });

export function inject(c: Cluster, target: string, via: string, bytes: Uint8Array, i: Omit<Injection, 'at' | 'target'>): void {
  c.history.injections.push({ ...i, at: c.clock.now(), target });
  c.note('inject', `${i.kind} ${i.layer} message claiming ${i.claimedOrigin} to ${target}`);
  c.inject(target, via, bytes);
}
