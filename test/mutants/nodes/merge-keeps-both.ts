// Mutant node command: both sides of a split commit (the minority one through
// commits-in-minority), and the merge after the heal keeps both sides'
// entries, moving the incoming one to the next free slot instead of
// refusing it (merge-keeps-both, test/mutants/control/). chaos/split-brain
// must find one slot committed with two events and an entry whose
// certificate is for another slot.
//   node --import tsx test/mutants/nodes/merge-keeps-both.ts --config {config}
import { referenceControl } from '../../../src/mesh/control/seams.ts';
import { CommitsInMinority } from '../control/commits-in-minority.ts';
import { keepsBoth } from '../control/merge-keeps-both.ts';
import { runReferenceNode } from './run-reference.ts';

const SplitKeepsBoth = keepsBoth(CommitsInMinority);
await runReferenceNode({
  control: { ...referenceControl, name: 'mutant:merge-keeps-both', quorumNode: (o) => new SplitKeepsBoth(o) },
});
