// The command that starts one node of the mesh under test, as a template:
// `<cmd> {config}`, e.g. `pqc-harness node --config {config}`. Any mesh that
// honours the node contract (ready line on stdout, admin API) can be measured.
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/errors.ts';

export interface NodeCommandTemplate {
  /** As given, for reports. */
  text: string;
  /** The whole argv for one node's config file (a plain function: pass it as it is). */
  readonly argv: (config: string) => { command: string; args: string[] };
}

const BIN = fileURLToPath(new URL('../../bin/pqc-harness.mjs', import.meta.url));
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));

/** Splits on whitespace; single or double quotes group; no other shell syntax. */
function words(template: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of template.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** `{config}` is replaced by the node's config path; `{node}` by this Node.js binary. */
export function parseNodeCommand(template: string): NodeCommandTemplate {
  const argv = words(template);
  if (argv.length === 0) throw new ConfigError('--node-command is empty');
  if (!argv.some((a) => a.includes('{config}'))) throw new ConfigError(`--node-command "${template}" has no {config} placeholder`);
  return {
    text: template,
    argv: (config) => {
      const filled = argv.map((a) => a.replaceAll('{config}', config).replaceAll('{node}', process.execPath));
      return { command: filled[0], args: filled.slice(1) };
    },
  };
}

/**
 * A TypeScript node script (a mutant wrapper, or a user's node written in TS),
 * wherever the harness is installed: one of this package runs from its
 * prebuilt bundle (bin/run-ts.mjs, bin/prebuilt.mjs), any other, or when
 * there is no bundle, through this harness's tsx loader.
 */
export function tsxNodeCommand(script: string): NodeCommandTemplate {
  return parseNodeCommand(`"{node}" "${RUN_TS}" "${script}" --config {config} --exit-with-parent`);
}

/** The reference node: this harness's own `node` command, exiting with its parent. */
export function referenceNodeCommand(): NodeCommandTemplate {
  return parseNodeCommand(`"{node}" "${BIN}" node --config {config} --exit-with-parent`);
}
