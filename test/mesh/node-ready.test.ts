// Waiting for a node's ready line (NodeProcess.spawnArgv) in a process whose
// event loop is held by a long synchronous check, as a pool worker's is while
// a prepared SLO mesh starts: a line already in the pipe wins over the timer.
import { describe, expect, it } from 'vitest';
import { NodeProcess } from '../../src/mesh/node/launcher.ts';

const READY = JSON.stringify({
  event: 'ready',
  id: 'n1',
  listen: '127.0.0.1:1',
  admin: 'http://127.0.0.1:2',
  adminTokenFile: '/x',
  pid: 1,
});

/** A "node" that prints its ready line at once (or never) and then idles until killed. */
const fakeNode = (printReady: boolean) => () => ({
  command: process.execPath,
  args: ['-e', `${printReady ? `console.log(${JSON.stringify(READY)});` : ''}setInterval(() => {}, 1000);`],
});

const holdEventLoop = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // a CPU-bound check
  }
};

describe('NodeProcess ready line', () => {
  it('takes a ready line that arrived while the event loop was held past the timeout', async () => {
    const starting = NodeProcess.spawnArgv(fakeNode(true), 'fake.yaml', { timeoutMs: 300 });
    holdEventLoop(1500);
    const node = await starting;
    expect(node.ready.id).toBe('n1');
    await node.kill();
  });

  it('still times out, naming the config, when no ready line ever comes', async () => {
    const starting = NodeProcess.spawnArgv(fakeNode(false), 'silent.yaml', { timeoutMs: 300, commandText: 'silent-node {config}' });
    await expect(starting).rejects.toThrow(/node silent\.yaml not ready within 300 ms \(command: silent-node \{config\}\)/);
  });
});
