// Mutant: when a merge brings a certified entry for a slot this node already
// committed differently, it keeps both: the incoming one is appended at the
// next free slot instead of being refused and reported.
import type { Checked } from '../../../src/mesh/control/members.ts';
import { QuorumNode } from '../../../src/mesh/control/quorum.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';
import type { CertifiedEntry } from '../../../src/mesh/control/votes.ts';

/**
 * The defect on any QuorumNode (the chaos mutant puts it on one that also
 * commits in a minority). A TypeScript mixin needs a constructor of `any[]`.
 */
export function keepsBoth<T extends new (...args: any[]) => QuorumNode>(Base: T) {
  return class extends Base {
    protected override onConflict(entry: CertifiedEntry): Checked<CertifiedEntry> {
      const kept = { ...entry, slot: this.log.lastSlot + 1 };
      this.append(kept);
      return { ok: true, value: kept };
    }
  };
}

const MergeKeepsBoth = keepsBoth(QuorumNode);
const mutant: ControlProtocol = { ...referenceControl, name: 'mutant:merge-keeps-both', quorumNode: (o) => new MergeKeepsBoth(o) };
export default mutant;
