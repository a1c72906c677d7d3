// The mesh subcommands of `pqc-harness`: `ca init`, `ca issue`, `node` and
// `mesh up`. src/cli.ts calls registerMeshCommands(program).
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Option, type Command } from 'commander';
import { loadBackend } from '../../crypto/select.ts';
import { backendFromEnv, checkSwitches, productionMode } from '../../crypto/switches.ts';
import { ConfigError } from '../../errors.ts';
import { logger } from '../../log.ts';
import { startAdmin } from './admin.ts';
import { loadAdminToken, writeAdminToken } from './admin-token.ts';
import { loadNodeConfig } from './config.ts';
import { FALLBACK_EXPIRED_EXIT_CODE } from '../fallback/controller.ts';
import { caPaths, readIdentity } from './identity-files.ts';
import { issueToDir, loadOrCreateCa, prepareMesh, selfNodeCommand, startMesh } from './launcher.ts';
import { MeshNode } from './node.ts';
import { watchParent } from './parent-watch.ts';
import type { MeshProtocol } from '../protocol/seams.ts';
import type { ControlProtocol } from '../control/seams.ts';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`expected a positive integer, got ${v}`);
  return n;
}

/**
 * Loads a variant (a mutant) for tests; never reachable from a config file.
 * The module default-exports a MeshProtocol (channel and handshake seams) or
 * a ControlProtocol (control-plane seams, test/mutants/control/).
 */
async function loadMutant(spec: string): Promise<{ protocol?: MeshProtocol; control?: ControlProtocol }> {
  const mod = (await import(pathToFileURL(resolve(spec)).href)) as { default?: Partial<MeshProtocol & ControlProtocol> };
  const m = mod.default;
  if (m?.verifyTranscriptSignature) return { protocol: m as MeshProtocol };
  if (m?.quorumNode && m.gossipReceiver) return { control: m as ControlProtocol };
  throw new ConfigError(`${spec} does not default-export a MeshProtocol or a ControlProtocol`);
}

export async function runNode(
  configFile: string,
  /**
   * `control` / `protocol`: a ControlProtocol or MeshProtocol object, for
   * node-command mutants (test/mutants/nodes/) that build or import one in
   * place (a bundled mutant cannot import a .ts module by path at run time).
   */
  o: { mutant?: string; control?: ControlProtocol; protocol?: MeshProtocol; exitWithParent?: boolean } = {},
): Promise<void> {
  checkSwitches();
  // A seam that swaps protocol code is for tests only: never in production.
  if ((o.mutant || o.control || o.protocol) && productionMode())
    throw new ConfigError('--mutant is a test-only switch and is refused while X0TTA6BL4_PRODUCTION is on');
  const config = loadNodeConfig(configFile);
  const loaded = o.mutant ? await loadMutant(o.mutant) : {};
  const protocol = o.protocol ?? loaded.protocol;
  const control = o.control ?? loaded.control;
  const node = await MeshNode.start({
    config,
    protocol,
    control,
    onFallbackExpired: () => {
      process.exit(FALLBACK_EXPIRED_EXIT_CODE);
    },
  });
  const admin = await startAdmin(node, config.admin, {
    token: loadAdminToken(config.adminTokenFile!),
    metricsPublic: config.adminMetricsPublic,
  });
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    node.log.info({ why }, 'node stopping');
    await node.stop();
    await new Promise((r) => admin.server.close(r));
    admin.server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  watchParent((why) => void shutdown(why));
  if (o.exitWithParent) {
    process.stdin.on('end', () => void shutdown('parent gone'));
    process.stdin.on('error', () => void shutdown('parent gone'));
    process.stdin.resume();
  }
  process.stdout.write(
    JSON.stringify({
      event: 'ready',
      id: node.id,
      listen: node.listenAddress,
      admin: admin.url,
      adminTokenFile: config.adminTokenFile,
      pid: process.pid,
    }) + '\n',
  );
}

export function registerMeshCommands(program: Command): void {
  const ca = program.command('ca').description('mesh certificate authority (ML-DSA-65)');
  ca.command('init')
    .description('create a mesh CA in a directory (ca.cert, ca.key)')
    .requiredOption('--dir <dir>', 'CA directory')
    .option('--name <name>', 'CA name', 'pqc-mesh')
    .option('--backend <name|path>', 'crypto backend (default $PQC_BACKEND, else auto)')
    .action(async (f: { dir: string; name: string; backend?: string }) => {
      checkSwitches();
      if (readIfExists(f.dir)) throw new ConfigError(`${caPaths(f.dir).key} already exists; refusing to replace a CA`);
      loadOrCreateCa(f.dir, await loadBackend(f.backend ?? backendFromEnv() ?? 'auto'), f.name);
      process.stdout.write(`CA ${f.name} created: ${caPaths(f.dir).cert}\n`);
    });
  ca.command('issue')
    .description('issue a node certificate signed by the CA in --dir')
    .requiredOption('--dir <dir>', 'CA directory')
    .requiredOption('--node <id>', 'node id')
    .option('--days <n>', 'validity in days', positiveInt, 365)
    .option('--backend <name|path>', 'crypto backend (default $PQC_BACKEND, else auto)')
    .action(async (f: { dir: string; node: string; days: number; backend?: string }) => {
      checkSwitches();
      const p = caPaths(f.dir);
      const authority = readIdentity(p.cert, p.key);
      const out = issueToDir(f.dir, authority, f.node, await loadBackend(f.backend ?? backendFromEnv() ?? 'auto'), f.days);
      const tokenFile = join(dirname(out.cert), 'admin.token');
      writeAdminToken(tokenFile);
      process.stdout.write(
        `certificate for ${f.node}: ${out.cert}\nkey: ${out.key}\nadmin token (set adminTokenFile in the node config): ${tokenFile}\n`,
      );
    });

  program
    .command('node')
    .description('run one mesh node in the foreground')
    .requiredOption('--config <file>', 'node YAML configuration')
    .addOption(new Option('--mutant <module>', 'test only: a module default-exporting a MeshProtocol variant').hideHelp())
    .addOption(new Option('--exit-with-parent', 'exit when stdin closes (set by mesh up)').hideHelp())
    .action(async (f: { config: string; mutant?: string; exitWithParent?: boolean }) => {
      await runNode(f.config, { mutant: f.mutant, exitWithParent: f.exitWithParent });
      await new Promise(() => undefined); // the node runs until a signal
    });

  const mesh = program.command('mesh').description('run a local mesh of node processes');
  mesh
    .command('up')
    .description('create a CA, N identities and configs in --dir, start N nodes on loopback, write mesh.json; stop all on SIGINT/SIGTERM')
    .requiredOption('--nodes <n>', 'number of nodes', positiveInt)
    .requiredOption('--dir <dir>', 'mesh directory')
    .option('--backend <name|path>', 'crypto backend of every node (default $PQC_BACKEND, else auto)')
    .action(async (f: { nodes: number; dir: string; backend?: string }) => {
      checkSwitches();
      const dir = resolve(f.dir);
      const backendName = f.backend ?? backendFromEnv() ?? 'auto';
      const backend = await loadBackend(backendName);
      const specs = await prepareMesh(dir, f.nodes, { backend, backendName });
      const running = await startMesh(dir, specs, selfNodeCommand());
      process.stdout.write(`mesh of ${f.nodes} nodes up; ${dir}/mesh.json\n`);
      // If this process dies anyway, its nodes see their stdin pipe close and exit; on a normal exit, tell them now.
      process.once('exit', () => {
        for (const n of running.nodes) if (n.running) n.child.kill('SIGTERM');
      });
      await new Promise<void>((done) => {
        let stopping = false;
        const stop = (why: string) => {
          if (stopping) return;
          stopping = true;
          logger.info({ why }, 'stopping mesh');
          void running.stop().then(done);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
        watchParent(stop);
      });
      process.stdout.write('mesh stopped\n');
    });
}

function readIfExists(dir: string): boolean {
  try {
    readIdentity(caPaths(dir).cert, caPaths(dir).key);
    return true;
  } catch {
    return false;
  }
}
