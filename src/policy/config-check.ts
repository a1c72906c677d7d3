// `policy check --config`: the ConfigPolicy rules over mesh deployment configs,
// read as written (YAML), so a rule sees exactly what an operator wrote.
import { ConfigError } from '../errors.ts';
import { readYamlFile } from '../yaml-file.ts';
import type { PolicySection } from '../report/model.ts';
import { applyWaivers, collectViolations, type EvaluateOptions } from './evaluate.ts';
import type { PolicySet } from './rules.ts';

export function readConfigFile(file: string): Record<string, unknown> {
  const raw = readYamlFile(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: a node config is a YAML mapping`);
  return raw as Record<string, unknown>;
}

export interface ConfigInput {
  file: string;
  config: Record<string, unknown>;
}

/** Violations of every config, each message naming its file, then waivers over them all. */
export function checkConfigs(
  set: PolicySet,
  configs: readonly ConfigInput[],
  production: boolean,
  opts: EvaluateOptions = {},
): PolicySection {
  if (!set.policies.some((p) => p.kind === 'ConfigPolicy')) throw new ConfigError(`no ConfigPolicy in ${set.sources.join(', ')}`);
  const found = configs.flatMap(({ file, config }) =>
    collectViolations(set, 'ConfigPolicy', { config, file, production }).map((v) => ({ ...v, message: `${file}: ${v.message}` })),
  );
  return applyWaivers(set, found, opts);
}
