// How a command's error becomes an exit code and one line on stderr: the same
// for the full CLI (src/cli.ts) and the prebuilt node entry (node-main.ts).
import { ConfigError } from '../errors.ts';

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

/** A configuration or input error, or a bug in the harness: exit 2 either way, so a CI gate never reads it as a verdict. */
export function reportError(e: unknown): number {
  if (e instanceof ConfigError) {
    process.stderr.write(`pqc-harness: ${e.message}\n`);
    return EXIT.usage;
  }
  const err = e as Error;
  const debug = process.env.PQC_LOG_LEVEL === 'debug' || process.env.PQC_LOG_LEVEL === 'trace';
  process.stderr.write(
    debug
      ? `pqc-harness: internal error: ${err.stack ?? String(err)}\n`
      : `pqc-harness: internal error: ${err.message ?? String(err)} (PQC_LOG_LEVEL=debug shows the stack; please report it)\n`,
  );
  return EXIT.usage;
}
