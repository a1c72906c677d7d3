// chaos/split-brain end to end on real node processes behind one proxy per
// directed link: the reference node is never invalid (delivery, detection and
// serving valid; what the node does not implement yet is unknown with the
// reason), the run replays its schedule from the seed, and each mutant node
// makes it invalid with the matching witness.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { referenceNodeCommand, tsxNodeCommand } from '../../bench/slo/node-command.ts';
import { nemesisSchedule } from '../../chaos/nemesis/schedule.ts';
import { runScenario, type ScenarioRun } from '../../chaos/scenario/run.ts';
import { scenarioNamed } from '../../chaos/scenario/scenarios.ts';
import { loadBuiltin } from '../../src/crypto/select.ts';
import { verdictOf } from '../../suites/chaos/index.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(mutant?: string): Promise<ScenarioRun> {
  const dir = mkdtempSync(join(tmpdir(), 'chaos-test-'));
  dirs.push(dir);
  const command = mutant ? tsxNodeCommand(resolve(`test/mutants/nodes/${mutant}.ts`)) : referenceNodeCommand();
  return runScenario({ spec: scenarioNamed('split-brain'), seed: 1, command, backend: await loadBuiltin('noble'), dir });
}

const checker = (r: ScenarioRun, name: string) => r.checkers.find((c) => c.checker === name)!;

describe('chaos/split-brain', () => {
  it('reference node: never invalid; halves 2|3 on the timeline; replays its schedule from the seed', async () => {
    const r = await run();
    expect(r.verdict, r.reason).not.toBe('invalid');
    for (const name of ['delivery', 'detection', 'serving']) expect(checker(r, name).verdict, checker(r, name).reason).toBe('valid');
    // What the node does not expose is unknown with its reason, never a pass.
    for (const c of r.checkers.filter((c) => c.verdict === 'unknown')) expect(c.reason).toMatch(/no GET \/log|no membership|committed/);
    const cut = r.history.timeline.find((e) => e.kind === 'partition');
    expect(cut?.detail).toMatch(/^halves: \[[^\]|]+\] \| \[[^\]|]+\]/);
    expect(
      cut!.detail
        .split('|')
        .map((side) => side.split(',').length)
        .sort(),
    ).toEqual([2, 3]);
    expect(r.history.timeline.some((e) => e.kind === 'heal' && e.at > cut!.at)).toBe(true);
    expect(r.schedule).toEqual(nemesisSchedule('halves', { nodes: r.history.members, seed: 1, durationMs: r.schedule.durationMs }));
    // The reference node runs the control plane (membership, /log): the release verdict now passes.
    expect(verdictOf(r, 'release').status).toBe('pass');
  }, 90_000);

  it('a node that drops queued messages on reconnect: invalid, acknowledged messages lost', async () => {
    const r = await run('drops-queued-on-reconnect');
    expect(r.verdict).toBe('invalid');
    expect(checker(r, 'delivery').witnesses[0]).toHaveProperty('lost');
    expect(verdictOf(r, 'pr').status).toBe('fail');
  }, 90_000);

  it('a node that delivers twice after the heal: invalid, messages duplicated', async () => {
    const r = await run('delivers-twice-after-heal');
    expect(r.verdict).toBe('invalid');
    expect(checker(r, 'delivery').witnesses[0]).toHaveProperty('duplicated');
  }, 90_000);
});

describe('chaos/split-brain on a node that never commits', () => {
  it('unknown (nothing committed, messages still delivered): a skip in pr, a failure in release', async () => {
    const r = await run('never-commits');
    expect(r.verdict, r.reason).toBe('unknown');
    expect(checker(r, 'safety')).toMatchObject({ verdict: 'unknown', reason: 'nothing was ever committed' });
    expect(checker(r, 'delivery').verdict).toBe('valid');
    expect(verdictOf(r, 'pr').status).toBe('skip');
    expect(verdictOf(r, 'release')).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/^unknown: .*nothing was ever committed/),
    });
  }, 90_000);
});
