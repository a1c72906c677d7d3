// The kernel chaos driver (chaos/kernel/): partitions as iptables rules
// between network namespaces the harness creates. A halves partition on
// three reference nodes is detected and heals (verdict valid); a partition
// is exactly the DROP rules of its cut; the namespaces are gone after the
// run and after a SIGINT. Skipped, naming why, without root / ip netns /
// iptables; in CI (CI=true) as root it must run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { referenceNodeCommand } from '../../bench/slo/node-command.ts';
import { chaosNamespaces, KernelNet, kernelUnavailable } from '../../chaos/kernel/netns.ts';
import { partition } from '../../chaos/nemesis/partition.ts';
import { seededRandom } from '../../chaos/nemesis/random.ts';
import { kernelUnsupported } from '../../chaos/scenario/kernel-mesh.ts';
import { runScenario } from '../../chaos/scenario/run.ts';
import { scenarioNamed } from '../../chaos/scenario/scenarios.ts';
import { loadBuiltin } from '../../src/crypto/select.ts';

const why = kernelUnavailable();
const mustRun = process.env.CI === 'true' && process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'chaos-kernel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.runIf(mustRun)('in CI as root the kernel driver is available', () => {
  expect(why).toBeUndefined();
});

it('link faults are unsupported on the kernel driver, naming the op; partitions are supported', () => {
  expect(kernelUnsupported(scenarioNamed('split-brain'), 5, 1)).toBeUndefined();
  expect(kernelUnsupported(scenarioNamed('latency-storm'), 5, 1)).toMatch(/^unsupported on the kernel driver: latency-storm needs latency/);
});

describe.skipIf(why)(`kernel driver${why ? ` (skipped: ${why})` : ''}`, () => {
  it('a partition is exactly the rules of its cut (SYN refused, the rest dropped), in the senders\u2019 namespaces; heal removes them', async () => {
    const net = await KernelNet.create(['a', 'b', 'c'], 3);
    try {
      const p = partition('halves', ['a', 'b', 'c'], seededRandom(3));
      await net.apply({ op: 'partition', partition: p });
      for (const id of ['a', 'b', 'c']) {
        const want = p.cut
          .filter((l) => l.from === id)
          .flatMap((l) => [
            `-A OUTPUT -d ${net.address(l.to)}/32 -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j REJECT --reject-with tcp-reset`,
            `-A OUTPUT -d ${net.address(l.to)}/32 -j DROP`,
          ]);
        const got = (await net.rules(id)).split('\n').filter((l) => l.startsWith('-A'));
        expect(got.sort()).toEqual(want.sort());
      }
      await net.apply({ op: 'heal' });
      for (const id of ['a', 'b', 'c']) expect(await net.rules(id)).not.toContain('DROP');
    } finally {
      await net.close();
    }
    expect(chaosNamespaces().filter((n) => n.includes(`-${process.pid}-`))).toEqual([]);
  });

  it('halves on 3 nodes in namespaces: detected, served, healed and converged (valid); nothing left behind', async () => {
    const spec = scenarioNamed('split-brain');
    const r = await runScenario({
      spec,
      nodes: 3,
      seed: 1,
      command: referenceNodeCommand(),
      backend: await loadBuiltin('noble'),
      dir,
      driver: 'kernel',
    });
    expect(r.verdict, r.reason).toBe('valid');
    expect(r.checkers.find((c) => c.checker === 'detection')?.verdict).toBe('valid');
    const cut = r.history.timeline.find((e) => e.kind === 'partition');
    expect(cut?.detail).toMatch(/^halves: \[[^\]|]+\] \| \[[^\]|]+\] \(4 links cut\)/);
    expect(r.history.timeline.some((e) => e.kind === 'heal' && e.at > cut!.at)).toBe(true);
    expect(chaosNamespaces().filter((n) => n.includes(`-${process.pid}-`))).toEqual([]);
  }, 90_000);

  it('SIGINT tears the namespaces down', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('test/support/kernel-net-child.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const first = await new Promise<string>((done) => createInterface({ input: child.stdout! }).once('line', done));
    const { namespaces } = JSON.parse(first) as { namespaces: string[] };
    expect(chaosNamespaces()).toEqual(expect.arrayContaining(namespaces));
    const exited = new Promise((done) => child.once('exit', (code, signal) => done(signal ?? code)));
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(chaosNamespaces().filter((n) => namespaces.includes(n))).toEqual([]);
  }, 30_000);
});
