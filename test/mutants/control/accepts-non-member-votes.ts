// Mutant: votes and certificate signers are checked against the CA but not
// against the member set: any node the CA ever certified can vote.
import type { Checked, MemberSet } from '../../../src/mesh/control/members.ts';
import { QuorumNode } from '../../../src/mesh/control/quorum.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';
import { verifyEntry, verifyVote, type CertifiedEntry, type Vote } from '../../../src/mesh/control/votes.ts';

const widened = (m: MemberSet, extra: string[]): MemberSet => ({ epoch: m.epoch, members: [...new Set([...m.members, ...extra])] });

class AcceptsNonMemberVotes extends QuorumNode {
  protected override checkVote(v: Vote): Checked<Vote> {
    return verifyVote(this.opts.directory, widened(this.members(), [v.voter]), v);
  }
  protected override checkEntry(e: CertifiedEntry): Checked<CertifiedEntry> {
    const m = this.members();
    const signers = e.certificate.signatures.map((s) => s.voter);
    const r = verifyEntry(this.opts.directory, widened(m, signers), e);
    // Quorum size still judged against the configured members, as the defect had it.
    return r.ok || r.reason !== 'too_few_signers' ? r : signers.length * 2 > m.members.length ? { ok: true, value: e } : r;
  }
}

const mutant: ControlProtocol = {
  ...referenceControl,
  name: 'mutant:accepts-non-member-votes',
  quorumNode: (o) => new AcceptsNonMemberVotes(o),
};
export default mutant;
