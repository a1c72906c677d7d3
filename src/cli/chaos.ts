// `pqc-harness chaos`: runs chaos scenarios against a mesh a node command
// starts, prints a verdict line and the timeline per scenario, writes each
// run's history (replayable from its seed) and a summary into --out.
// Exit 0 all valid, 1 any invalid (or, with --profile release, unknown), 2 usage.
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseNodeCommand, referenceNodeCommand } from '../../bench/slo/node-command.ts';
import { runScenario, type ScenarioRun } from '../../chaos/scenario/run.ts';
import { SCENARIOS, scenarioNamed } from '../../chaos/scenario/scenarios.ts';
import { renderTimeline } from '../../chaos/scenario/timeline.ts';
import { loadBackend } from '../crypto/select.ts';
import { backendFromEnv, checkSwitches } from '../crypto/switches.ts';
import { ConfigError } from '../errors.ts';

interface ChaosFlags {
  scenario: string;
  list?: boolean;
  nodes?: number;
  seed?: number;
  nodeCommand?: string;
  mesh?: string;
  out: string;
  profile: 'pr' | 'release';
  backend?: string;
}

const int = (what: string, lo: number, hi: number) => (v: string) => {
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || n < lo || n > hi) throw new InvalidArgumentError(`${what} must be an integer from ${lo} to ${hi}`);
  return n;
};

function summaryLine(r: ScenarioRun): string {
  return `${r.verdict.toUpperCase().padEnd(7)} chaos/${r.scenario} (${r.nodes} nodes, seed ${r.seed}, ${r.wallMs} ms): ${r.reason}`;
}

export function registerChaosCommand(program: Command): void {
  program
    .command('chaos')
    .description('partition, degrade and heal a mesh a node command starts; judge safety, delivery, detection and convergence')
    .option('--scenario <name|all>', 'a scenario, or all', 'split-brain')
    .option('--list', 'list the scenarios and exit')
    .option('--nodes <n>', 'nodes in the mesh (default: the scenario\u2019s)', int('--nodes', 2, 32))
    .option('--seed <n>', 'seed of the schedule and workload (default: random, printed)', int('--seed', -(2 ** 31), 2 ** 31 - 1))
    .option('--node-command <cmd>', 'command starting one node, with {config} (default: this package\u2019s reference node)')
    .option('--mesh <file>', 'drive nodes someone else started (not supported yet)')
    .option('-o, --out <dir>', 'report directory', join('reports', 'chaos'))
    .option('-b, --backend <name|path>', 'backend for the generated identities (default $PQC_BACKEND, else noble)')
    .addOption(new Option('-p, --profile <profile>', 'release fails unknown verdicts').choices(['pr', 'release']).default('pr'))
    .action(async (flags: ChaosFlags) => {
      if (flags.list) {
        for (const s of SCENARIOS)
          process.stdout.write(`${s.name.padEnd(18)} ${s.nemesis} on ${s.nodes} nodes, ${s.durationMs / 1000} s\n`);
        return;
      }
      if (flags.mesh)
        throw new ConfigError(`--mesh ${flags.mesh}: driving an externally started mesh is not implemented yet; use --node-command`);
      checkSwitches();
      const specs = flags.scenario === 'all' ? SCENARIOS : [scenarioNamed(flags.scenario)];
      const command = flags.nodeCommand ? parseNodeCommand(flags.nodeCommand) : referenceNodeCommand();
      const backend = await loadBackend(flags.backend ?? backendFromEnv() ?? 'noble');
      const seed = flags.seed ?? randomInt(-(2 ** 31), 2 ** 31);
      const out = resolve(flags.out);
      mkdirSync(out, { recursive: true });
      process.stderr.write(`pqc-harness chaos: seed ${seed}, node command ${command.text}\n`);
      const runs: ScenarioRun[] = [];
      const errors: { id: string; verdict: 'error'; reason: string; seed: number }[] = [];
      for (const spec of specs) {
        const dir = mkdtempSync(join(tmpdir(), `pqc-chaos-${spec.name}-`));
        try {
          const progress = process.stderr.isTTY ? (l: string) => process.stderr.write(`  ${l}\n`) : undefined;
          const r = await runScenario({ spec, nodes: flags.nodes, seed, command, backend, dir, progress }).catch((e: Error) => {
            // A mesh that never came up, or a proxy call that failed: this scenario judged nothing; the others still run.
            process.stdout.write(`ERROR   chaos/${spec.name}: could not run: ${e.message}\n`);
            errors.push({ id: `chaos/${spec.name}`, verdict: 'error', reason: `could not run: ${e.message}`, seed });
          });
          if (!r) continue;
          runs.push(r);
          writeFileSync(join(out, `${spec.name}.history.json`), `${JSON.stringify(r, null, 1)}\n`);
          process.stdout.write(`${summaryLine(r)}\n${renderTimeline(r.history.timeline).replace(/^/gm, '    ')}\n`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      const summary = runs.map((r) => ({
        id: `chaos/${r.scenario}`,
        verdict: r.verdict,
        reason: r.reason,
        seed: r.seed,
        nodes: r.nodes,
        wallMs: r.wallMs,
        checkers: r.checkers.map(({ checker, verdict, reason }) => ({ checker, verdict, reason })),
      }));
      writeFileSync(
        join(out, 'chaos.json'),
        `${JSON.stringify({ seed, nodeCommand: command.text, profile: flags.profile, scenarios: [...summary, ...errors] }, null, 1)}\n`,
      );
      writeFileSync(
        join(out, 'summary.md'),
        `# chaos (seed ${seed})\n\n${[...runs.map(summaryLine), ...errors.map((e) => `ERROR   ${e.id}: ${e.reason}`)].map((l) => `- ${l}`).join('\n')}\n`,
      );
      process.stdout.write(`report: ${join(out, 'chaos.json')}\n`);
      const failed =
        errors.length > 0 || runs.some((r) => r.verdict === 'invalid' || (r.verdict === 'unknown' && flags.profile === 'release'));
      process.exitCode = failed ? 1 : 0;
    });
}
