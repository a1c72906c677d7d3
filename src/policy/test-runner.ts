// `policy test`: policy unit tests, in the manner of `conftest verify`. Each
// case gives an input (a report or a node config), optional waivers and a
// clock, and the outcome and rule ids it expects.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { readYamlFile, validateYaml } from '../yaml-file.ts';
import { type CertificationReport, checkResultSchema, SCHEMA_VERSION, waiverSchema } from '../report/model.ts';
import { checkConfigs } from './config-check.ts';
import { evaluateReport } from './evaluate.ts';
import { loadPolicySet } from './rules.ts';
import { parseWaivers } from './waivers.ts';

export const BUILTIN_POLICY_TESTS = fileURLToPath(new URL('../../policies/tests/', import.meta.url));

const expectSchema = z.strictObject({
  outcome: z.enum(['passed', 'passed-with-waivers', 'failed']),
  /** Rule ids that must fire (each at least once); no other rule may fire. */
  rules: z.array(z.string()).default([]),
});

const caseSchema = z
  .strictObject({
    name: z.string().min(1),
    report: z
      .strictObject({
        profile: z.enum(['pr', 'release']).default('pr'),
        checks: z.array(checkResultSchema.partial({ title: true, durationMs: true, evidence: true })),
      })
      .optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    production: z.boolean().default(false),
    now: z.iso.datetime().optional(),
    waivers: z.array(waiverSchema).default([]),
    expect: expectSchema,
  })
  .refine((c) => (c.report === undefined) !== (c.config === undefined), { message: 'a case has exactly one of report or config' });

const testFileSchema = z.strictObject({
  apiVersion: z.literal('pqc-harness/policy-test/v1'),
  /** Policy file or folder, relative to this test file; default the built-in set. */
  policy: z.string().optional(),
  cases: z.array(caseSchema).min(1),
});

export interface CaseResult {
  file: string;
  name: string;
  ok: boolean;
  /** What differed, when not ok. */
  detail?: string;
}

function fixtureReport(profile: 'pr' | 'release', checks: z.infer<typeof caseSchema>['report'] & object): CertificationReport {
  const results = checks.checks.map((c) => ({ title: c.id, durationMs: 0, evidence: {}, ...c }));
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const backends = [...new Set(results.flatMap((r) => (r.backend ? [r.backend] : [])))];
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'pqc-mesh-harness', version: 'policy-test' },
    command: 'certify',
    verdict: 'pass',
    verdictReasons: [],
    startedAt: new Date(0).toISOString(),
    durationMs: 0,
    seed: 0,
    profile,
    environment: { node: process.version, os: 'policy-test', cpu: 'policy-test', cores: 1 },
    backends: backends.map((name) => ({ name, version: 'policy-test', deterministic: true })),
    summary: { total: results.length, passed: count('pass'), failed: count('fail'), skipped: count('skip') },
    checks: results,
  };
}

export function runPolicyTestFile(file: string): CaseResult[] {
  const parsed = validateYaml(testFileSchema, readYamlFile(file), file, 'policy test');
  const set = loadPolicySet(parsed.policy === undefined ? undefined : resolve(dirname(file), parsed.policy));
  return parsed.cases.map((c): CaseResult => {
    const now = c.now ? new Date(c.now) : new Date();
    let section: ReturnType<typeof evaluateReport>;
    try {
      const waivers = parseWaivers({ waivers: c.waivers }, `${file}: case "${c.name}"`, now);
      section = c.report
        ? evaluateReport(set, fixtureReport(c.report.profile, c.report), { waivers, now })
        : checkConfigs(set, [{ file: c.name, config: c.config ?? {} }], c.production, { waivers, now });
    } catch (e) {
      return { file, name: c.name, ok: false, detail: (e as Error).message };
    }
    const fired = [...new Set(section.violations.map((v) => v.rule))].sort();
    const want = [...new Set(c.expect.rules)].sort();
    const problems: string[] = [];
    if (section.outcome !== c.expect.outcome) problems.push(`outcome ${section.outcome}, expected ${c.expect.outcome}`);
    if (fired.join() !== want.join()) problems.push(`rules fired [${fired.join(', ')}], expected [${want.join(', ')}]`);
    return { file, name: c.name, ok: problems.length === 0, ...(problems.length ? { detail: problems.join('; ') } : {}) };
  });
}

export function runPolicyTests(path: string = BUILTIN_POLICY_TESTS): CaseResult[] {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new ConfigError(`${path}: no such policy test file or folder`);
  const files = st.isDirectory()
    ? readdirSync(path)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (!files.length) throw new ConfigError(`${path}: no *.yaml policy tests`);
  return files.flatMap(runPolicyTestFile);
}
