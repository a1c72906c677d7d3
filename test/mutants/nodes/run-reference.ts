// Starts the reference node from a node command line (`--config FILE
// [--exit-with-parent]`) after a mutant has seeded its one defect.
import { runNode } from '../../../src/mesh/node/commands.ts';
import type { ControlProtocol } from '../../../src/mesh/control/seams.ts';
import type { MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

export function configArg(argv = process.argv.slice(2)): string {
  const i = argv.indexOf('--config');
  if (i < 0 || !argv[i + 1]) throw new Error('usage: <mutant> --config FILE [--exit-with-parent]');
  return argv[i + 1];
}

/**
 * `protocol`: a seam module's path (mesh or control); `control` / `seams`: a
 * ControlProtocol or MeshProtocol object the mutant built or imported itself.
 */
export async function runReferenceNode(
  o: { config?: string; protocol?: string; control?: ControlProtocol; seams?: MeshProtocol } = {},
): Promise<void> {
  await runNode(o.config ?? configArg(), {
    mutant: o.protocol,
    control: o.control,
    protocol: o.seams,
    exitWithParent: process.argv.includes('--exit-with-parent'),
  });
}

export type { MeshProtocol };
