// Mutant: a node proposes whatever its partition and counts a quorum as a
// majority of the members it can reach, so a minority commits on its own.
import { QuorumNode } from '../../../src/mesh/control/quorum.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';
import type { CertifiedEntry } from '../../../src/mesh/control/votes.ts';
import type { Checked } from '../../../src/mesh/control/members.ts';

export class CommitsInMinority extends QuorumNode {
  protected override mayPropose(): boolean {
    return true;
  }
  protected override enough(signers: number): boolean {
    return signers * 2 > this.opts.membership().reachable.length;
  }
  protected override checkEntry(e: CertifiedEntry): Checked<CertifiedEntry> {
    const r = super.checkEntry(e);
    return !r.ok && r.reason === 'too_few_signers' && this.enough(e.certificate.signatures.length) ? { ok: true, value: e } : r;
  }
}

const mutant: ControlProtocol = { ...referenceControl, name: 'mutant:commits-in-minority', quorumNode: (o) => new CommitsInMinority(o) };
export default mutant;
