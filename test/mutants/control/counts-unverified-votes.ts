// Mutant: the quorum never verifies vote signatures (on receipt or in a
// certificate); it checks only the shape: the upstream quorum that "never
// verified vote signatures".
import { quorumSize, refuse, type Checked } from '../../../src/mesh/control/members.ts';
import { QuorumNode } from '../../../src/mesh/control/quorum.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';
import type { CertifiedEntry, Vote } from '../../../src/mesh/control/votes.ts';

class CountsUnverifiedVotes extends QuorumNode {
  protected override checkVote(v: Vote): Checked<Vote> {
    return this.members().members.includes(v.voter) ? { ok: true, value: v } : refuse('non_member', v.voter);
  }
  protected override checkEntry(e: CertifiedEntry): Checked<CertifiedEntry> {
    const signers = new Set(e.certificate.signatures.map((s) => s.voter));
    return signers.size >= quorumSize(this.members()) ? { ok: true, value: e } : refuse('too_few_signers', `${signers.size}`);
  }
}

const mutant: ControlProtocol = {
  ...referenceControl,
  name: 'mutant:counts-unverified-votes',
  quorumNode: (o) => new CountsUnverifiedVotes(o),
};
export default mutant;
