// `pqc-harness node --config F [--exit-with-parent]` without the rest of the
// CLI: the entry bin/prebuilt.mjs bundles, so the node processes of a run
// start without loading TypeScript or the report, policy and suite code. The
// bin routes only that exact argument shape here (isPlainNodeCommand); any
// other (--mutant, --help, a typo) goes to the full CLI, which parses it.
import { runNode } from '../mesh/node/commands.ts';
import { reportError } from './exit.ts';

/** The value after --config; the bin has checked the shape. */
function configOf(argv: readonly string[]): string {
  return argv[argv.indexOf('--config') + 1];
}

export async function nodeMain(argv: readonly string[]): Promise<void> {
  try {
    await runNode(configOf(argv), { exitWithParent: argv.includes('--exit-with-parent') });
  } catch (e) {
    process.exitCode = reportError(e);
    return;
  }
  await new Promise(() => undefined); // the node runs until a signal
}

await nodeMain(process.argv.slice(2));
