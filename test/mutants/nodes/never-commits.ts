// Mutant node command: every proposal is queued as if the node were in a
// minority, in a majority too, so nothing is ever committed while messages
// still flow. Nothing to judge safety or convergence on: chaos/split-brain
// must say `unknown`, which fails in release (and is only a skip in pr).
//   node --import tsx test/mutants/nodes/never-commits.ts --config {config}
import { QuorumNode } from '../../../src/mesh/control/quorum.ts';
import { referenceControl } from '../../../src/mesh/control/seams.ts';
import { runReferenceNode } from './run-reference.ts';

class NeverCommits extends QuorumNode {
  protected override mayPropose(): boolean {
    return false;
  }
}

await runReferenceNode({ control: { ...referenceControl, name: 'mutant:never-commits', quorumNode: (o) => new NeverCommits(o) } });
