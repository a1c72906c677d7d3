// Mutant: a node believes only the certificates it formed from votes it
// counted itself; a certified entry that arrives in a commit or a merge is
// dropped. Nothing unsafe is ever adopted, but a node that was in the
// minority never catches up after a heal: the logs never converge.
import type { Checked } from '../../../src/mesh/control/members.ts';
import type { ControlPayload } from '../../../src/mesh/control/payloads.ts';
import { QuorumNode } from '../../../src/mesh/control/quorum.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';
import type { CertifiedEntry } from '../../../src/mesh/control/votes.ts';

class AdoptsOnlyOwnCertificates extends QuorumNode {
  private forming = false;

  protected override tryCommit(slot: number): ControlPayload[] {
    this.forming = true;
    try {
      return super.tryCommit(slot);
    } finally {
      this.forming = false;
    }
  }

  override adopt(entry: CertifiedEntry): { result: Checked<CertifiedEntry>; out: ControlPayload[] } {
    if (!this.forming) return { result: { ok: false, reason: 'bad_signature', detail: 'not formed here' }, out: [] };
    return super.adopt(entry);
  }
}

const mutant: ControlProtocol = {
  ...referenceControl,
  name: 'mutant:adopts-only-own-certificates',
  quorumNode: (o) => new AdoptsOnlyOwnCertificates(o),
};
export default mutant;
