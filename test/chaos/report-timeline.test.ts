// A scenario's history as report.html draws it: the windows, lanes and
// commits come from what took effect, and the shape is the report's own.
import { describe, expect, it } from 'vitest';
import { emptyHistory, type History } from '../../chaos/checkers/history.ts';
import { reportTimeline } from '../../chaos/scenario/report-timeline.ts';
import { timelineEvidence } from '../../src/report/evidence-shapes.ts';
import { timelineChart } from '../../src/report/html-charts.ts';

const membership = (partition: 'majority' | 'minority') => ({ members: ['a', 'b', 'c'], reachable: [], partition, since: 0, epoch: 0 });
const entry = (slot: number, proposalId: string) =>
  ({
    slot,
    kind: 'policy',
    proposer: 'a',
    proposalId,
    payload: '',
    eventHash: '',
    certificate: {},
  }) as unknown as History['logs'][number]['entries'][number];

function history(): History {
  const h = emptyHistory(['a', 'b', 'c']);
  h.timeline.push(
    { at: 1000, kind: 'partition', detail: 'halves: [a] | [b, c] (4 links cut)' },
    { at: 1200, kind: 'note', detail: 'latency on 2 links' },
    { at: 4000, kind: 'heal', detail: 'every link restored' },
    { at: 4001, kind: 'note', detail: 'clear-toxics' },
  );
  h.statuses.push(
    { node: 'a', at: 500, membership: membership('majority') },
    { node: 'a', at: 1300, membership: membership('minority') },
    { node: 'a', at: 1450, membership: membership('minority') },
    { node: 'a', at: 4300, membership: membership('majority') },
    { node: 'b', at: 600, membership: membership('majority') },
  );
  h.logs.push({ node: 'b', at: 2000, entries: [entry(0, 'b/1')] }, { node: 'a', at: 4500, entries: [entry(0, 'b/1'), entry(1, 'a/1')] });
  return h;
}

describe('reportTimeline', () => {
  const checkers = [
    { checker: 'convergence', verdict: 'valid' as const, reason: '', witnesses: [], stats: { healAt: 4000, convergenceMs: 700 } },
  ];

  it('gives the nemesis windows, one lane entry per membership change, first commits and the convergence point', () => {
    const t = reportTimeline(history(), checkers, 'valid');
    expect(t.nemeses).toEqual([
      { name: 'halves', startMs: 1000, endMs: 4000 },
      { name: 'latency', startMs: 1200, endMs: 4001 },
    ]);
    expect(t.membership).toEqual([
      { node: 'a', atMs: 500, state: 'majority' },
      { node: 'b', atMs: 600, state: 'majority' },
      { node: 'a', atMs: 1300, state: 'minority' },
      { node: 'a', atMs: 4300, state: 'majority' },
    ]);
    expect(t.commits).toEqual([
      { atMs: 2000, node: 'b', event: '0: b/1' },
      { atMs: 4500, node: 'a', event: '1: a/1' },
    ]);
    expect(t.convergedAtMs).toBe(4700);
    expect(t.durationMs).toBe(4500);
  });

  it('is the shape the report validates, and renders as a timeline chart', () => {
    const t = reportTimeline(history(), checkers, 'invalid');
    expect(timelineEvidence.parse(t)).toEqual(t);
    const svg = timelineChart('chaos/split-brain', t);
    expect(svg).toContain('data-chart="timeline"');
    expect(svg).toContain('converged 4700 ms');
  });

  it('a fault never healed lasts to the end; no convergence without the checker figure', () => {
    const h = history();
    h.timeline.splice(2);
    const t = reportTimeline(h, [], 'unknown');
    expect(t.nemeses.map((n) => n.endMs)).toEqual([4500, 4500]);
    expect(t.convergedAtMs).toBeUndefined();
  });
  it('a crash is a nemesis window until the restart, and the node is down in its lane meanwhile', () => {
    const h = emptyHistory(['a', 'b', 'c']);
    h.timeline.push(
      { at: 1000, kind: 'crash', detail: 'b (pid 4242) killed with SIGKILL' },
      { at: 3000, kind: 'restart', detail: 'b restarted from its config as pid 4343 (ready in 900 ms)' },
    );
    h.statuses.push(
      { node: 'b', at: 500, membership: membership('majority') },
      { node: 'b', at: 3200, membership: membership('majority') },
    );
    const t = reportTimeline(h, [], 'valid');
    expect(t.nemeses).toEqual([{ name: 'crash b', startMs: 1000, endMs: 3000 }]);
    expect(t.membership.map((m) => [m.atMs, m.state])).toEqual([
      [500, 'majority'],
      [1000, 'down'],
      [3200, 'majority'],
    ]);
    expect(timelineEvidence.safeParse(t).success).toBe(true);
  });
});
