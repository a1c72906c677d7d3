// Reading a YAML file an operator wrote: the node config, policy configs,
// waivers. Every failure is a ConfigError that names the file, and for a
// schema failure every offending field by its path ("peers.1.address: ..."),
// so one bad line is found without a debugger. It sits at the bottom layer
// so the mesh node and the policy engine share it.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.ts';

/** The parsed document of `file`, not yet validated. */
export function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  }
  return parseYamlText(text, file);
}

/** The parsed document of `text`, read from `source`. */
export function parseYamlText(text: string, source: string): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    throw new ConfigError(`${source}: not valid YAML: ${(e as Error).message}`);
  }
}

/** `raw` validated by `schema`; otherwise one line per issue: "<source>: invalid <what>" then "path: message". */
export function validateYaml<S extends z.ZodType>(schema: S, raw: unknown, source: string, what: string): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new ConfigError(`${source}: invalid ${what}\n  ${lines.join('\n  ')}`);
}
