// How the real-node negative checks start their node processes: always
// through a node command template (docs/node-contract.md §1), so
// `certify --node-command "..."` puts an external implementation behind the
// attacker exactly where the reference node stands by default. A control
// mutant of selftest (`controlModule`) is the reference node started with
// `--mutant` on it, written as a template too.
import { parseNodeCommand, referenceNodeCommand, type NodeCommandTemplate } from '../../bench/slo/node-command.ts';
import { ConfigError } from '../../src/errors.ts';
import type { Subject } from './scenario.ts';

export function negativeNodeCommand(s: Pick<Subject, 'nodeCommand' | 'controlModule'>): NodeCommandTemplate {
  if (s.nodeCommand !== undefined && s.controlModule !== undefined)
    throw new ConfigError(
      `a control mutant (${s.controlModule}) runs in the reference node; it cannot be combined with --node-command "${s.nodeCommand}"`,
    );
  if (s.nodeCommand !== undefined) return parseNodeCommand(s.nodeCommand);
  if (s.controlModule !== undefined) return parseNodeCommand(`${referenceNodeCommand().text} --mutant "${s.controlModule}"`);
  return referenceNodeCommand();
}
