// Starts the reference node from a node command line (`--config FILE
// [--exit-with-parent]`) after a mutant has seeded its one defect.
import { runNode } from '../../../src/mesh/node/commands.ts';
import type { MeshProtocol } from '../../../src/mesh/protocol/seams.ts';

export function configArg(argv = process.argv.slice(2)): string {
  const i = argv.indexOf('--config');
  if (i < 0 || !argv[i + 1]) throw new Error('usage: <mutant> --config FILE [--exit-with-parent]');
  return argv[i + 1];
}

export async function runReferenceNode(o: { config?: string; protocol?: string } = {}): Promise<void> {
  await runNode(o.config ?? configArg(), { mutant: o.protocol, exitWithParent: process.argv.includes('--exit-with-parent') });
}

export type { MeshProtocol };
