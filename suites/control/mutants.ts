// Control-plane variants with one seeded bug each (a subclass replacing one
// method of the reference GossipReceiver or QuorumNode, test/mutants/control/),
// and the control checks each must make fail. Shaped as MutantSpec without
// its `kind`: registering the suite adds kind 'control' (docs/control-plane.md §8).
import type { MutantSpec } from '../mutant.ts';

const control = (name: string, kills: string[]): MutantSpec => ({
  name,
  kind: 'control',
  module: `test/mutants/control/${name}.ts`,
  kills,
});

export const controlMutants: readonly MutantSpec[] = [
  control('updates-before-verifying', ['control/gossip/forged-origin']),
  control('accepts-replays', ['control/gossip/replay']),
  control('ignores-timestamps', ['control/gossip/stale']),
  control('counts-unverified-votes', ['control/quorum/unverified-votes']),
  control('counts-duplicate-votes', ['control/quorum/duplicate-votes']),
  control('votes-twice', ['control/quorum/duplicate-votes']),
  control('accepts-non-member-votes', ['control/quorum/non-member-votes']),
  control('commits-in-minority', ['control/quorum/minority-commits', 'control/nodes/quorum/minority-commits']),
  control('merge-keeps-both', ['control/heal/converges']),
  control('adopts-only-own-certificates', ['control/heal/converges', 'control/nodes/heal/converges']),
];
