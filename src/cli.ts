// `pqc-harness`: the command-line entry point.
// Exit codes: 0 gate passed, 1 gate failed, 2 usage/configuration/input error.
import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { backendFromEnv, checkSwitches } from './crypto/switches.ts';
import { DEFAULT_BACKENDS, runHarness, toolVersion } from './harness/certify.ts';
import { printVersion } from './cli/version.ts';
import type { Profile } from './check/evidence.ts';
import type { Command as HarnessCommand } from './harness/profiles.ts';
import { createProgress } from './cli/progress.ts';
import { renderKillMatrix } from './cli/kill-matrix.ts';
import { reportCoverage, runCoveragePass, COVERAGE_CHECKS, writeNodeCoverage } from './cli/node-coverage.ts';
import { serveAsWorker } from './harness/worker.ts';
import { registerMatrixCommand } from './harness/matrix/command.ts';
import { registerToxiproxyCommand } from '../chaos/toxiproxy/cli.ts';
import { registerBenchCommand } from '../bench/slo/cli.ts';
import { registerMeshCommands } from './mesh/node/commands.ts';
import { registerVectorsCommand } from '../vectors/cli.ts';
import { defaultVectorsDir } from '../vectors/discover.ts';
import { loadPolicySet } from './policy/rules.ts';
import { loadWaivers } from './policy/waivers.ts';
import { registerPolicyCommands } from './policy/cli.ts';
import { registerReportCommands } from './report/cli.ts';
import { registerChaosCommand } from './cli/chaos.ts';
import { EXIT, reportError } from './cli/exit.ts';
import { parseNodeCommand } from '../bench/slo/node-command.ts';

export { EXIT };

function parseSeed(v: string): number {
  if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError('the seed must be an integer');
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new InvalidArgumentError('the seed must fit in 32 bits');
  return n;
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

interface RunFlags {
  backend?: string[];
  vectors?: string;
  out: string;
  profile: Profile;
  seed?: number;
  only?: string;
  jobs: number;
  policy?: string;
  waivers?: string;
  expected?: string;
  nodeCoverage?: boolean;
  nodeCommand?: string;
}

function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('jobs must be a whole number from 1 to 64');
  return n;
}

function addRunCommand(program: Command, name: HarnessCommand, description: string): void {
  program
    .command(name)
    .description(description)
    .option(
      '-b, --backend <name|path>',
      `crypto backend: noble, liboqs, pqclean, mock, auto or a module path (repeatable; default $PQC_BACKEND, else ${DEFAULT_BACKENDS.join(' and ')})`,
      collect,
    )
    .option('--vectors <dir>', 'known-answer vector directory (default $PQC_VECTORS_DIR, else the fetch cache)')
    .option('-o, --out <dir>', 'report directory', join('reports', 'latest'))
    .addOption(new Option('-p, --profile <profile>', 'pr (fast gate) or release (full size)').choices(['pr', 'release']).default('pr'))
    .option('--seed <n>', 'root seed for every random choice (default: random, printed)', parseSeed)
    .option('--only <text>', 'run only checks whose id contains this text')
    .option('--node-coverage', 'record which lines of src/mesh/protocol and src/mesh/node the checks reached (V8 + c8; on in release)')
    .option('--no-node-coverage', 'do not record node coverage, even in release')
    .option(
      '--node-command <cmd>',
      'command starting one node of every mesh-level check (negative/*/nodes, slo, chaos), with {config} (default: the reference node; docs/node-contract.md)',
    )
    .option('--expected <file>', 'expected-results baseline (e.g. expected.json): a deviation or an XPASS fails the run')
    .option(
      '-j, --jobs <n>',
      'worker processes running checks side by side (default: one per core, at most 2)',
      parseJobs,
      Math.min(2, availableParallelism()),
    )
    .option('--policy <path>', 'policy file or folder of policies (default: the built-in set, policies/)')
    .option('--waivers <file>', 'waivers YAML: findings accepted until an expiry at most 90 days ahead')
    .action(async (flags: RunFlags) => {
      checkSwitches();
      const fromEnv = backendFromEnv();
      // Read policies and waivers before the run: a bad file is a usage error, not a failed gate.
      const policySet =
        flags.policy !== undefined || flags.waivers !== undefined || name === 'certify'
          ? loadPolicySet(flags.policy && resolve(flags.policy))
          : undefined;
      const waivers = flags.waivers ? loadWaivers(resolve(flags.waivers), new Date()) : undefined;
      // A template without {config} is a usage error before anything runs.
      if (flags.nodeCommand !== undefined) parseNodeCommand(flags.nodeCommand);
      const seed = flags.seed ?? randomInt(-(2 ** 31), 2 ** 31);
      const vectorsDir = resolve(flags.vectors ?? defaultVectorsDir());
      const backends = flags.backend?.length ? flags.backend : fromEnv ? [fromEnv] : [...DEFAULT_BACKENDS];
      process.stderr.write(`pqc-harness ${name}: profile ${flags.profile}, seed ${seed}, backends ${backends.join(', ')}\n`);
      const { report, written } = await runHarness({
        command: name,
        backends,
        profile: flags.profile,
        seed,
        outDir: resolve(flags.out),
        vectorsDir,
        only: flags.only,
        ...(flags.nodeCommand !== undefined ? { nodeCommand: flags.nodeCommand } : {}),
        jobs: flags.jobs,
        progress: createProgress(),
        policySet,
        waivers,
        ...(flags.expected ? { expected: resolve(flags.expected) } : {}),
      });
      const s = report.summary;
      process.stdout.write(
        `${report.verdict === 'pass' ? (report.policy?.outcome === 'passed-with-waivers' ? 'PASS (with waivers)' : 'PASS') : 'FAIL'}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped (seed ${seed})\n` +
          report.verdictReasons.map((r) => `  ${r}\n`).join('') +
          (report.policy?.warnings ?? []).map((w) => `warning: ${w}\n`).join('') +
          report.checks
            .filter((c) => c.id === 'kat/vectors' && c.status === 'skip')
            .map((c) => `warning: no known-answer vectors ran: ${c.reason}\n`)
            .join('') +
          `report: ${written.json}\nsummary: ${written.markdown}\n`,
      );
      process.exitCode = report.verdict === 'pass' ? EXIT.pass : EXIT.fail;
      const coverage = flags.nodeCoverage ?? flags.profile === 'release';
      if (coverage && !process.env.NODE_V8_COVERAGE) {
        const out = resolve(flags.out);
        const only = flags.only ?? COVERAGE_CHECKS.join(',');
        process.stderr.write(`pqc-harness ${name}: node coverage pass (${only} at pr size, one process)\n`);
        const code = await runCoveragePass(join(out, '.v8-coverage'), join(out, '.coverage-run'), only);
        if (code !== 0) process.stderr.write(`warning: the coverage pass exited ${code}; its report is in ${join(out, '.coverage-run')}\n`);
        const headline = writeNodeCoverage(
          out,
          reportCoverage(join(out, '.v8-coverage'), join(out, 'coverage')),
          `${name} --profile pr --only ${only}`,
        );
        process.stdout.write(`${headline}\n`);
      }
    });
}

interface SelftestFlags {
  family?: string;
  vectors?: string;
  out: string;
  profile: Profile;
  seed?: number;
  jobs: number;
}

function addSelftestCommand(program: Command): void {
  program
    .command('selftest')
    .description(
      'prove the harness can fail: every check family against the mutants that must fail it, and the reference that must pass it',
    )
    .option('--family <text>', 'judge only families whose name contains this text (e.g. kat/acvp, mesh/)')
    .option('--vectors <dir>', 'known-answer vector directory (default $PQC_VECTORS_DIR, else the fetch cache)')
    .option('-o, --out <dir>', 'report directory', join('reports', 'selftest'))
    .addOption(
      new Option('-p, --profile <profile>', 'pr or release: the sizes the mutants run at').choices(['pr', 'release']).default('pr'),
    )
    .option('--seed <n>', 'root seed for every random choice (default: random, printed)', parseSeed)
    .option(
      '-j, --jobs <n>',
      'worker processes judging families side by side (default: one per core, at most 2)',
      parseJobs,
      Math.min(2, availableParallelism()),
    )
    .action(async (flags: SelftestFlags) => {
      const seed = flags.seed ?? randomInt(-(2 ** 31), 2 ** 31);
      process.stderr.write(`pqc-harness selftest: profile ${flags.profile}, seed ${seed}\n`);
      const { report, written } = await runHarness({
        command: 'selftest',
        backends: [...DEFAULT_BACKENDS],
        profile: flags.profile,
        seed,
        outDir: resolve(flags.out),
        vectorsDir: resolve(flags.vectors ?? defaultVectorsDir()),
        only: flags.family ? `selftest/${flags.family}` : undefined,
        jobs: flags.jobs,
        progress: createProgress(),
      });
      process.stdout.write(
        `${renderKillMatrix(report.checks)}${report.verdict === 'pass' ? 'PASS' : 'FAIL'} (seed ${seed})\n` +
          report.verdictReasons.map((r) => `  ${r}\n`).join('') +
          `report: ${written.json}\n`,
      );
      process.exitCode = report.verdict === 'pass' ? EXIT.pass : EXIT.fail;
    });
}

export function buildProgram(): Command {
  const program = new Command('pqc-harness')
    .description('Verification harness for a post-quantum mesh')
    .showHelpAfterError('(run with --help for usage)')
    .option('-V, --version', 'print the harness version; with --json, also every backend library version')
    .option('--json', 'with --version: print JSON')
    // Program options only before a command, so a command's own --json FILE (bench) is its own.
    .enablePositionalOptions()
    .exitOverride();
  addRunCommand(program, 'kat', 'run the crypto property checks and known-answer vectors against each backend');
  addRunCommand(program, 'certify', 'run the full certification gate and write the report');
  addSelftestCommand(program);
  program.command('worker', { hidden: true }).description('internal: runs checks for a parent kat/certify process').action(serveAsWorker);
  registerMatrixCommand(program, createProgress);
  registerVectorsCommand(program);
  registerMeshCommands(program);
  registerToxiproxyCommand(program);
  registerBenchCommand(program);
  registerPolicyCommands(program);
  registerReportCommands(program);
  registerChaosCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // --version belongs to the program, not to a command; --json may follow it.
  const top = argv.slice(2);
  if (top.length && top.every((a) => ['--version', '-V', '--json'].includes(a)) && top.some((a) => a !== '--json')) {
    await printVersion(toolVersion(), top.includes('--json'));
    return EXIT.pass;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.pass;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version land here with exit code 0.
      return e.exitCode === 0 ? EXIT.pass : EXIT.usage;
    }
    return reportError(e);
  }
}

const code = await main(process.argv);
process.exitCode = code;
