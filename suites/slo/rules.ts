// slo/rules: the alert rules as code, held to `promtool check rules`,
// `promtool test rules`, and rule coverage: every alert must have a test
// case where it fires and one where it does not.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { fail, pass, skip, type Verdict } from '../../src/check/evidence.ts';

const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));
export const RULES_FILE = join(RULES_DIR, 'pqc-slo.rules.yml');
export const RULES_TEST_FILE = join(RULES_DIR, 'pqc-slo.test.yml');
export const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';

interface RulesDoc {
  groups?: { name: string; rules?: { alert?: string; record?: string }[] }[];
}
interface TestsDoc {
  rule_files?: string[];
  tests?: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] | null }[] }[];
}

export interface RuleCoverage {
  alerts: string[];
  firingCase: string[];
  notFiringCase: string[];
  untested: string[];
}

/** Which alerts have a firing (exp_alerts non-empty) and a not-firing (empty) case. */
export function ruleCoverage(rules: RulesDoc, tests: TestsDoc): RuleCoverage {
  const alerts = (rules.groups ?? []).flatMap((g) => (g.rules ?? []).flatMap((r) => (r.alert ? [r.alert] : [])));
  const cases = (tests.tests ?? []).flatMap((t) => t.alert_rule_test ?? []);
  const firing = new Set(cases.filter((c) => (c.exp_alerts ?? []).length > 0).map((c) => c.alertname));
  const notFiring = new Set(cases.filter((c) => (c.exp_alerts ?? []).length === 0).map((c) => c.alertname));
  return {
    alerts,
    firingCase: alerts.filter((a) => firing.has(a)),
    notFiringCase: alerts.filter((a) => notFiring.has(a)),
    untested: alerts.filter((a) => !firing.has(a) || !notFiring.has(a)),
  };
}

function run(args: string[]): { ok: boolean; output: string } {
  const r = spawnSync(PROMTOOL, args, { encoding: 'utf8', timeout: 60_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().slice(0, 4000) };
}

/**
 * promtool check rules + test rules on `rulesFile` (the test file's
 * rule_files are pointed at it, so a mutant rules file runs the same tests),
 * then coverage. Skips, naming the tool, when promtool is not installed.
 */
export function checkRules(rulesFile = RULES_FILE, testFile = RULES_TEST_FILE): Verdict {
  const version = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return skip(`${PROMTOOL} not found (Debian package prometheus)`);
  const evidence = { promtool: `${version.stdout}${version.stderr}`.split('\n')[0].trim(), rulesFile, testFile };
  const check = run(['check', 'rules', rulesFile]);
  if (!check.ok) return fail(`promtool check rules ${rulesFile} failed`, { ...evidence, output: check.output });
  const tests = parse(readFileSync(testFile, 'utf8')) as TestsDoc;
  const dir = mkdtempSync(join(tmpdir(), 'pqc-rules-'));
  try {
    const pointed = join(dir, 'rules.test.yml');
    writeFileSync(pointed, stringify({ ...tests, rule_files: [resolve(rulesFile)] }));
    const test = run(['test', 'rules', pointed]);
    const coverage = ruleCoverage(parse(readFileSync(rulesFile, 'utf8')) as RulesDoc, tests);
    const all = { ...evidence, coverage, testOutput: test.output };
    if (!test.ok) return fail(`promtool test rules failed on ${rulesFile}`, all);
    if (coverage.untested.length > 0)
      return fail(`alert rules without both a firing and a not-firing test: ${coverage.untested.join(', ')}`, all);
    return pass({ ...all, testOutput: undefined });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
