// Mutant: a member votes for every proposal it sees in a slot and round, not
// only the first, so two racing proposals can both collect a majority.
import { bytesToHex } from '@noble/hashes/utils.js';
import { QuorumNode } from '../../../src/mesh/control/quorum.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';

class VotesTwice extends QuorumNode {
  protected override shouldVote(slot: number, round: number, hash: string): boolean {
    return !(this.myVotes.get(slot) ?? []).some((v) => v.round === round && bytesToHex(v.eventHash) === hash);
  }
}

const mutant: ControlProtocol = { ...referenceControl, name: 'mutant:votes-twice', quorumNode: (o) => new VotesTwice(o) };
export default mutant;
