// `pqc-harness chaos`: runs chaos scenarios against a mesh a node command
// starts (or, with --mesh, one someone else started), prints a verdict line and the timeline per scenario, writes each
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
import { meshUnsupported } from '../../chaos/scenario/external.ts';
import { loadMeshFile } from '../../chaos/mesh-file.ts';
import { kernelUnavailable } from '../../chaos/kernel/netns.ts';
import { kernelUnsupported } from '../../chaos/scenario/kernel-mesh.ts';
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
  driver: 'toxiproxy' | 'kernel';
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
    .option('--mesh <file>', 'drive nodes someone else started, links through proxies on $TOXIPROXY_URL (docs/node-contract.md §9)')
    .option('-o, --out <dir>', 'report directory', join('reports', 'chaos'))
    .option('-b, --backend <name|path>', 'backend for the generated identities (default $PQC_BACKEND, else noble)')
    .addOption(
      new Option('--driver <driver>', 'how links are cut: proxies, or iptables between network namespaces (root)')
        .choices(['toxiproxy', 'kernel'])
        .default('toxiproxy'),
    )
    .addOption(new Option('-p, --profile <profile>', 'release fails unknown verdicts').choices(['pr', 'release']).default('pr'))
    .action(async (flags: ChaosFlags) => {
      if (flags.list) {
        for (const s of SCENARIOS)
          process.stdout.write(`${s.name.padEnd(18)} ${s.nemesis} on ${s.nodes} nodes, ${s.durationMs / 1000} s\n`);
        return;
      }
      if (flags.mesh && flags.nodeCommand)
        throw new ConfigError('--mesh and --node-command exclude each other: with --mesh the harness starts no node');
      if (flags.mesh && flags.driver === 'kernel')
        throw new ConfigError('--mesh and --driver kernel exclude each other: the kernel driver runs the nodes in its own namespaces');
      const mesh = flags.mesh ? loadMeshFile(flags.mesh) : undefined;
      if (mesh && flags.nodes !== undefined && flags.nodes !== mesh.targets.length)
        throw new ConfigError(`--nodes ${flags.nodes}: the mesh in ${mesh.file} has ${mesh.targets.length} nodes`);
      if (mesh && !process.env.TOXIPROXY_URL?.trim())
        throw new ConfigError(
          `--mesh ${mesh.file}: set TOXIPROXY_URL to the Toxiproxy the mesh's links go through (docs/node-contract.md §9)`,
        );
      checkSwitches();
      const specs = flags.scenario === 'all' ? SCENARIOS : [scenarioNamed(flags.scenario)];
      const command = flags.nodeCommand ? parseNodeCommand(flags.nodeCommand) : referenceNodeCommand();
      const backend = await loadBackend(flags.backend ?? backendFromEnv() ?? 'noble');
      const seed = flags.seed ?? randomInt(-(2 ** 31), 2 ** 31);
      const out = resolve(flags.out);
      mkdirSync(out, { recursive: true });
      const under = mesh ? `mesh ${mesh.file}` : `node command ${command.text}, driver ${flags.driver}`;
      process.stderr.write(`pqc-harness chaos: seed ${seed}, ${under}\n`);
      const runs: ScenarioRun[] = [];
      const errors: { id: string; verdict: 'error'; reason: string; seed: number }[] = [];
      const unsupported: { id: string; verdict: 'unsupported'; reason: string }[] = [];
      for (const spec of specs) {
        const why = mesh
          ? meshUnsupported(spec, mesh, seed)
          : flags.driver === 'kernel'
            ? (kernelUnavailable() ?? kernelUnsupported(spec, flags.nodes ?? spec.nodes, seed))
            : undefined;
        if (why) {
          unsupported.push({ id: `chaos/${spec.name}`, verdict: 'unsupported', reason: why });
          process.stdout.write(`SKIP    chaos/${spec.name}: ${why}\n`);
          continue;
        }
        const dir = mkdtempSync(join(tmpdir(), `pqc-chaos-${spec.name}-`));
        try {
          const progress = process.stderr.isTTY ? (l: string) => process.stderr.write(`  ${l}\n`) : undefined;
          const r = await runScenario({
            spec,
            nodes: flags.nodes,
            seed,
            command,
            backend,
            dir,
            progress,
            mesh,
            driver: flags.driver,
          }).catch((e: Error) => {
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
        `${JSON.stringify(
          {
            seed,
            ...(mesh ? { mesh: mesh.file } : { nodeCommand: command.text }),
            profile: flags.profile,
            scenarios: [...summary, ...errors, ...unsupported],
          },
          null,
          1,
        )}\n`,
      );
      const lines = [
        ...runs.map(summaryLine),
        ...errors.map((e) => `ERROR   ${e.id}: ${e.reason}`),
        ...unsupported.map((u) => `SKIP    ${u.id}: ${u.reason}`),
      ];
      writeFileSync(join(out, 'summary.md'), `# chaos (seed ${seed})\n\n${lines.map((l) => `- ${l}`).join('\n')}\n`);
      process.stdout.write(`report: ${join(out, 'chaos.json')}\n`);
      // A scenario the mesh or driver cannot run judged nothing: like unknown, it fails release.
      const unjudged = unsupported.length > 0 || runs.some((r) => r.verdict === 'unknown');
      const failed = errors.length > 0 || runs.some((r) => r.verdict === 'invalid') || (unjudged && flags.profile === 'release');
      process.exitCode = failed ? 1 : 0;
    });
}
