// The control suite (docs/control-plane.md §7): signed gossip, quorum votes
// and heal, on simulated members wired by an in-memory bus, and the
// partition checks again on real node processes (control/nodes/*: 3 nodes
// in pr, 5 and 7 in release). The same check functions fail on the seeded
// mutants in test/mutants/control/ (for real nodes: every node started with
// `--mutant` on the module).
import type { Check, Verdict } from '../../src/check/evidence.ts';
import { deriveSeed } from '../../src/check/property.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { SLOW_MLDSA } from '../../src/crypto/speed.ts';
import { referenceControl, type ControlProtocol } from '../../src/mesh/control/seams.ts';
import type { HarnessSuite } from '../env.ts';
import { checkForgedOrigin, checkGossipReplay, checkGossipStale } from './gossip-checks.ts';
import { checkHealConverges, checkMinorityCommits } from './partition-checks.ts';
import { checkDuplicateVotes, checkNonMemberVotes, checkUnverifiedVotes } from './quorum-checks.ts';
import type { ControlCheckEnv } from './scenario.ts';
import { checkNodesHealConverges, checkNodesMinorityCommits, type NodeCheckEnv } from './node-checks.ts';

/** Simulated members per profile (the quorum checks use at least 5). */
const SIZE = { pr: 3, release: 5 } as const;

export const CONTROL_CHECKS: readonly [string, string, (p: ControlProtocol, env: ControlCheckEnv) => Verdict][] = [
  [
    'control/gossip/forged-origin',
    'gossip claiming an honest origin (wrong key, other CA, other certificate) changes nothing',
    checkForgedOrigin,
  ],
  ['control/gossip/replay', 'replayed gossip is dropped and counted, the origin keeps its standing', checkGossipReplay],
  ['control/gossip/stale', 'gossip outside the timestamp skew is dropped without consuming the origin sequence', checkGossipStale],
  ['control/quorum/unverified-votes', 'votes and certificates with signatures that do not verify never count', checkUnverifiedVotes],
  [
    'control/quorum/duplicate-votes',
    'one vote per member per slot: repeated votes and signers count once, racing proposals never both commit',
    checkDuplicateVotes,
  ],
  ['control/quorum/non-member-votes', 'votes of CA-certified non-members never count', checkNonMemberVotes],
  [
    'control/quorum/minority-commits',
    'a minority partition queues its proposals and commits nothing; the majority commits',
    checkMinorityCommits,
  ],
  [
    'control/heal/converges',
    'after a heal every node holds the same log with both sides proposals within 2 s; a conflicting certificate is refused and reported',
    checkHealConverges,
  ],
];

/**
 * The backend the control plane signs with: the run's first with ML-DSA-65
 * that signs fast (src/crypto/speed.ts), else its first with ML-DSA-65. The
 * control checks judge quorum, gossip and merge logic, not signatures (the
 * crypto and known-answer suites judge every backend's), and a pr run's
 * votes and gossip signed with pure-JS ML-DSA cost most of its control time.
 */
function pickBackend(backends: readonly CryptoBackend[]): CryptoBackend {
  const signs = backends.filter((x) => {
    try {
      x.sig('ML-DSA-65');
      return true;
    } catch {
      return false;
    }
  });
  const b = signs.find((x) => !SLOW_MLDSA.has(x.name)) ?? signs[0];
  if (!b) throw new Error('the control suite needs a backend with ML-DSA-65');
  return b;
}

export function controlChecks(protocol: ControlProtocol, backends: readonly CryptoBackend[], profile: 'pr' | 'release'): Check[] {
  return CONTROL_CHECKS.map(([id, title, run]) => ({
    id,
    title,
    run: async (ctx) => {
      const backend = pickBackend(backends);
      const v = await run(protocol, { backend, seed: deriveSeed(ctx.seed, id), size: SIZE[profile] });
      return { ...v, evidence: { ...v.evidence, signingBackend: backend.name } };
    },
  }));
}

/** Real node processes per profile (200 ms heartbeats). */
const NODE_SIZES = { pr: [3], release: [5, 7] } as const;

export const NODE_CHECKS: readonly [string, string, (env: NodeCheckEnv) => Promise<Verdict>][] = [
  [
    'control/nodes/quorum/minority-commits',
    'real nodes cut with /links: the minority queues and commits nothing, the majority commits, detection within 3 heartbeats',
    checkNodesMinorityCommits,
  ],
  [
    'control/nodes/heal/converges',
    'real nodes cut with /links and restored: one certified log holding both sides proposals on every node within 2 s',
    checkNodesHealConverges,
  ],
];

/** `mutant`: a ControlProtocol module every node process runs (absolute path). */
export function nodeControlChecks(backends: readonly CryptoBackend[], profile: 'pr' | 'release', mutant?: string): Check[] {
  return NODE_CHECKS.flatMap(([family, title, run]) =>
    NODE_SIZES[profile].map((size) => ({
      id: `${family}/${size}`,
      family,
      title: `${title} (${size} nodes)`,
      // Both checks of a size read one memoised mesh run (node-checks.ts): keep them on one worker.
      schedule: { long: true, shares: `control/nodes/${size}` },
      run: () => run({ issuer: pickBackend(backends), size, mutant }),
    })),
  );
}

export const controlSuite: HarnessSuite = {
  name: 'control',
  checks: (env) => [
    ...controlChecks(env.control ?? referenceControl, env.backends, env.profile),
    ...nodeControlChecks(env.backends, env.profile, env.controlModule),
  ],
};
