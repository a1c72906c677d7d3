// `pqc-harness toxiproxy`: the embedded server as a standalone process.
import { InvalidArgumentError, type Command } from 'commander';
import { watchParent } from '../../src/mesh/node/parent-watch.ts';
import { startToxiproxyServer } from './index.ts';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number 0-65535.');
  return port;
}

export function registerToxiproxyCommand(program: Command): void {
  program
    .command('toxiproxy')
    .description('run the embedded Toxiproxy-compatible server (Toxiproxy 2.x HTTP API)')
    .option('--host <host>', 'interface for the HTTP API', '127.0.0.1')
    .option('--port <port>', 'port for the HTTP API (0 picks a free one)', parsePort, 8474)
    .action(async (opts: { host: string; port: number }) => {
      const server = await startToxiproxyServer({ host: opts.host, port: opts.port }).catch((err: unknown) => {
        throw new Error(`cannot start toxiproxy on ${opts.host}:${opts.port}: ${err instanceof Error ? err.message : String(err)}`);
      });
      process.stdout.write(`toxiproxy API listening on ${server.url}\n`);
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`${signal}: stopping toxiproxy\n`);
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`error while stopping: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // npx does not pass SIGTERM on: stop when the process that started us is gone.
      watchParent(() => stop('SIGHUP'));
    });
}
