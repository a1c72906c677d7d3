// Mutant: the tally counts every verified vote it receives, not every
// member: one member's vote delivered three times counts three times, and a
// certificate listing a signer twice is accepted.
import { bytesToHex } from '@noble/hashes/utils.js';
import { eventHash } from '../../../src/mesh/control/events.ts';
import { quorumSize, refuse, type Checked } from '../../../src/mesh/control/members.ts';
import { QuorumNode } from '../../../src/mesh/control/quorum.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';
import { verifyVote, type CertifiedEntry, type Vote } from '../../../src/mesh/control/votes.ts';

class CountsDuplicateVotes extends QuorumNode {
  protected override recordVote(v: Vote): Checked<Vote> {
    this.ballot(v.slot, v.round).push(v);
    return { ok: true, value: v };
  }
  protected override checkEntry(e: CertifiedEntry): Checked<CertifiedEntry> {
    const qc = e.certificate;
    if (bytesToHex(eventHash(e.event)) !== bytesToHex(qc.eventHash)) return refuse('wrong_event', `slot ${e.slot}`);
    for (const s of qc.signatures) {
      const ok = verifyVote(this.opts.directory, this.members(), { ...qc, voter: s.voter, signature: s.signature });
      if (!ok.ok) return ok;
    }
    return qc.signatures.length >= quorumSize(this.members()) ? { ok: true, value: e } : refuse('too_few_signers', `slot ${e.slot}`);
  }
}

const mutant: ControlProtocol = {
  ...referenceControl,
  name: 'mutant:counts-duplicate-votes',
  quorumNode: (o) => new CountsDuplicateVotes(o),
};
export default mutant;
