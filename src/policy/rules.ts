// Policy files: rules in CEL (github.com/google/cel-spec) over a report or a
// mesh deployment config. A file is YAML; every rule is compiled when the file
// is loaded, so a typo in an expression is a usage error naming the file and
// the rule, not a failure halfway through a run.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCel } from '@marcbachmann/cel-js';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { parseYamlText, validateYaml } from '../yaml-file.ts';
import { SEVERITIES } from '../report/severity.ts';

export const POLICY_API_VERSION = 'pqc-harness/policy/v1';
export const BUILTIN_POLICY_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));

const ruleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9./-]*$/, 'rule ids are lower-case words joined by "-", "." or "/"'),
    message: z.string().min(1),
    /** A fixed severity, or "check": each violating check carries its own from the severity table. */
    severity: z.enum([...SEVERITIES, 'check']),
    /** fail (default) counts against the verdict unless waived; warn is reported and never fails. */
    action: z.enum(['fail', 'warn']).default('fail'),
    /** A CEL bool: true means one violation. */
    deny: z.string().min(1).optional(),
    /** A CEL list: one violation per element (a check map names its check and backend). */
    violations: z.string().min(1).optional(),
  })
  .refine((r) => (r.deny === undefined) !== (r.violations === undefined), { message: 'a rule has exactly one of deny or violations' });

const policyFileSchema = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.enum(['ReportPolicy', 'ConfigPolicy']),
  /** Values the rules read as `params` (allowlists, limits). */
  params: z.record(z.string(), z.unknown()).default({}),
  rules: z.array(ruleSchema).min(1),
});

export type PolicyKind = 'ReportPolicy' | 'ConfigPolicy';
type CelProgram = (ctx: Record<string, unknown>) => unknown;

export interface CompiledRule {
  id: string;
  message: string;
  severity: (typeof SEVERITIES)[number] | 'check';
  action: 'fail' | 'warn';
  form: 'deny' | 'violations';
  expression: string;
  program: CelProgram;
  /** File the rule came from, for error messages. */
  file: string;
}

export interface Policy {
  kind: PolicyKind;
  file: string;
  params: Record<string, unknown>;
  rules: CompiledRule[];
}

export interface PolicySet {
  policies: Policy[];
  /** File names as shown in reports ("builtin:report.yaml" for the built-in set). */
  sources: string[];
  /** SHA-256 over each source's name and bytes, in order: what the attestation pins. */
  digest: string;
}

export function parsePolicy(text: string, file: string): Policy {
  const policy = validateYaml(policyFileSchema, parseYamlText(text, file), file, 'policy');
  const seen = new Set<string>();
  const rules = policy.rules.map((rule, i): CompiledRule => {
    if (seen.has(rule.id)) throw new ConfigError(`${file}: rules.${i}.id: duplicate rule id ${rule.id}`);
    seen.add(rule.id);
    const form = rule.deny !== undefined ? 'deny' : 'violations';
    const expression = (rule.deny ?? rule.violations) as string;
    let program: CelProgram;
    try {
      program = parseCel(expression) as CelProgram;
    } catch (e) {
      throw new ConfigError(`${file}: rule ${rule.id}: ${form} is not valid CEL: ${(e as Error).message.split('\n')[0]}`);
    }
    return { id: rule.id, message: rule.message, severity: rule.severity, action: rule.action, form, expression, program, file };
  });
  return { kind: policy.kind, file, params: policy.params, rules };
}

function policyFilesIn(path: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new ConfigError(`${path}: no such policy file or folder`);
  }
  if (!st.isDirectory()) return [path];
  const files = readdirSync(path)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(path, f));
  if (!files.length) throw new ConfigError(`${path}: folder holds no *.yaml policy`);
  return files;
}

/** Loads a policy file or every *.yaml in a folder; without a path, the built-in set (policies/). */
export function loadPolicySet(path?: string): PolicySet {
  const builtin = path === undefined;
  const files = policyFilesIn(path ?? BUILTIN_POLICY_DIR);
  const hash = createHash('sha256');
  const policies: Policy[] = [];
  const sources: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      throw new ConfigError(`${f}: cannot read (${(e as NodeJS.ErrnoException).code})`);
    }
    const name = builtin ? `builtin:${basename(f)}` : f;
    hash.update(`${name}\n${text.length}\n${text}`);
    policies.push(parsePolicy(text, name));
    sources.push(name);
  }
  return { policies, sources, digest: hash.digest('hex') };
}
