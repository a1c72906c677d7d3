// `pqc-harness policy check` (deployment configs) and `policy test` (policy unit tests).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseBoolEnv } from '../crypto/select.ts';
import type { PolicySection } from '../report/model.ts';
import { checkConfigs, readConfigFile } from './config-check.ts';
import { failingReasons } from './evaluate.ts';
import { loadPolicySet } from './rules.ts';
import { runPolicyTests } from './test-runner.ts';
import { loadWaivers } from './waivers.ts';

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

export function printSection(section: PolicySection, out: NodeJS.WritableStream = process.stdout): void {
  const failing = failingReasons(section);
  const label = section.outcome === 'passed' ? 'PASS' : section.outcome === 'passed-with-waivers' ? 'PASS (with waivers)' : 'FAIL';
  out.write(`${label}: ${failing.length} failing, ${section.violations.filter((v) => v.waivedBy !== undefined).length} waived\n`);
  for (const r of failing) out.write(`  ${r}\n`);
  for (const v of section.violations) {
    if (v.waivedBy === undefined) continue;
    const w = section.waivers[v.waivedBy];
    out.write(`  waived: ${v.rule} (${v.severity}): ${v.message} — by ${w.owner} until ${w.expires}: ${w.reason}\n`);
  }
  for (const w of section.warnings) out.write(`warning: ${w}\n`);
}

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('policy as code: CEL rules over reports and mesh deployment configs');
  policy
    .command('check')
    .description('check mesh node configs against the deployment policy (exit 1 on a failing rule or an expired waiver)')
    .requiredOption('-c, --config <file>', 'node config YAML (repeatable)', collect)
    .option('--policy <path>', 'policy file or folder (default: the built-in set, policies/)')
    .option('--waivers <file>', 'waivers YAML')
    .option('--production', 'judge the configs as production (default: $X0TTA6BL4_PRODUCTION)')
    .option('--json', 'print the policy section as JSON')
    .action((flags: { config: string[]; policy?: string; waivers?: string; production?: boolean; json?: boolean }) => {
      const now = new Date();
      const set = loadPolicySet(flags.policy && resolve(flags.policy));
      const waivers = flags.waivers ? loadWaivers(resolve(flags.waivers), now) : [];
      const production = flags.production ?? parseBoolEnv('X0TTA6BL4_PRODUCTION');
      const configs = flags.config.map((f) => ({ file: f, config: readConfigFile(f) }));
      const section = checkConfigs(set, configs, production, { waivers, now });
      if (flags.json) process.stdout.write(`${JSON.stringify(section, null, 2)}\n`);
      else printSection(section);
      process.exitCode = section.outcome === 'failed' ? 1 : 0;
    });
  policy
    .command('test')
    .description('run policy unit tests: inputs with expected outcomes (default: the built-in tests, policies/tests/)')
    .argument('[path]', 'test file or folder')
    .action((path?: string) => {
      const results = runPolicyTests(path && resolve(path));
      for (const r of results) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.detail ? `: ${r.detail}` : ''}\n`);
      const failed = results.filter((r) => !r.ok).length;
      process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
      process.exitCode = failed ? 1 : 0;
    });
}
