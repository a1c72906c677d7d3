// The control suite (docs/control-plane.md §7): signed gossip, quorum votes
// and heal, on simulated members wired by an in-memory bus. The same check
// functions fail on the seeded mutants in test/mutants/control/. Not yet in
// certify: register it in src/harness/profiles.ts (`controlSuite`) once the
// node runs the control plane.
import type { Check, Verdict } from '../../src/check/evidence.ts';
import { deriveSeed } from '../../src/check/property.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { referenceControl, type ControlProtocol } from '../../src/mesh/control/seams.ts';
import type { HarnessSuite } from '../env.ts';
import { checkForgedOrigin, checkGossipReplay, checkGossipStale } from './gossip-checks.ts';
import { checkHealConverges, checkMinorityCommits } from './partition-checks.ts';
import { checkDuplicateVotes, checkNonMemberVotes, checkUnverifiedVotes } from './quorum-checks.ts';
import type { ControlCheckEnv } from './scenario.ts';

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

function pickBackend(backends: readonly CryptoBackend[]): CryptoBackend {
  const b = backends.find((x) => {
    try {
      x.sig('ML-DSA-65');
      return true;
    } catch {
      return false;
    }
  });
  if (!b) throw new Error('the control suite needs a backend with ML-DSA-65');
  return b;
}

export function controlChecks(protocol: ControlProtocol, backends: readonly CryptoBackend[], profile: 'pr' | 'release'): Check[] {
  return CONTROL_CHECKS.map(([id, title, run]) => ({
    id,
    title,
    run: (ctx) => run(protocol, { backend: pickBackend(backends), seed: deriveSeed(ctx.seed, id), size: SIZE[profile] }),
  }));
}

export const controlSuite: HarnessSuite = {
  name: 'control',
  checks: (env) => controlChecks(env.control ?? referenceControl, env.backends, env.profile),
};
