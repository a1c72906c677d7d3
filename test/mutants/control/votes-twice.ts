// Mutant: a member votes for every proposal it sees in a slot, not only the
// first, so two racing proposals can both collect a majority.
import { QuorumNode } from '../../../src/mesh/control/quorum.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';

class VotesTwice extends QuorumNode {
  protected override shouldVote(slot: number, hash: string): boolean {
    return !this.myVotes.get(slot)?.has(hash);
  }
}

const mutant: ControlProtocol = { ...referenceControl, name: 'mutant:votes-twice', quorumNode: (o) => new VotesTwice(o) };
export default mutant;
