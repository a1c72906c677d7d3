// The scenario checkers on small hand-made histories: each judges valid on a
// well-behaved mesh, invalid with a witness on a defective one, unknown when
// it saw nothing to judge.
import { describe, expect, it } from 'vitest';
import { checkDetection, expectedViews, type PartitionWindow } from '../../chaos/checkers/detection.ts';
import { checkMembership } from '../../chaos/checkers/membership.ts';
import { checkServing } from '../../chaos/checkers/serving.ts';
import { emptyHistory, type SendRecord, type StatusSnapshot } from '../../chaos/checkers/history.ts';
import { partition } from '../../chaos/nemesis/partition.ts';
import { seededRandom } from '../../chaos/nemesis/random.ts';
import { judge } from '../../chaos/scenario/judge.ts';
import { scenarioNamed } from '../../chaos/scenario/scenarios.ts';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const halves = partition('halves', NODES, seededRandom(7));
const window: PartitionWindow = { partition: halves, from: 1000, to: 5000 };
const [small, large] = [...halves.components].sort((a, b) => a.length - b.length);
const views = expectedViews(NODES, halves);

const sees = (at: number, right: boolean) =>
  NODES.map((node) => ({ node, at, reachable: right ? views.get(node)! : NODES.filter((x) => x !== node) }));

describe('detection', () => {
  it('halves: each node should see exactly its side', () => {
    expect(views.get(small[0])).toEqual(small.filter((x) => x !== small[0]).sort());
    expect(views.get(large[0])).toEqual(large.filter((x) => x !== large[0]).sort());
  });
  it('valid when every node sees its side within the bound', () => {
    const r = checkDetection(NODES, [window], [...sees(900, false), ...sees(1200, true)], 500);
    expect(r.verdict).toBe('valid');
    expect(r.stats.maxDetectMs).toBe(200);
  });
  it('invalid, naming the node, when a node keeps seeing the other side', () => {
    const snaps = [...sees(1200, true).filter((s) => s.node !== small[0]), ...sees(1200, false).filter((s) => s.node === small[0])];
    const r = checkDetection(NODES, [window], snaps, 500);
    expect(r.verdict).toBe('invalid');
    expect(r.witnesses[0]).toMatchObject({ undetected: { node: small[0], afterMs: null } });
  });
  it('invalid when a node sees its side only after the bound', () => {
    expect(checkDetection(NODES, [window], [...sees(1100, false), ...sees(2000, true)], 500).verdict).toBe('invalid');
  });
  it('unknown without any partition or without views in it', () => {
    expect(checkDetection(NODES, [], [], 500).verdict).toBe('unknown');
    expect(checkDetection(NODES, [window], sees(6000, true), 500).verdict).toBe('unknown');
  });
});

const send = (op: string, from: string, to: string, sentAt: number, outcome: SendRecord['outcome']): SendRecord => ({
  op,
  from,
  to,
  payload: op,
  sentAt,
  outcome,
  endedAt: sentAt + 5,
});

describe('serving', () => {
  it('valid when sends within a side are acknowledged; sends across the cut do not count', () => {
    const r = checkServing(
      NODES,
      [window],
      [send('a', large[0], large[1], 2500, 'acked'), send('b', small[0], large[0], 2500, 'timeout')],
      1000,
    );
    expect(r.verdict).toBe('valid');
    expect(r.stats).toMatchObject({ withinSide: 1, acked: 1 });
  });
  it('invalid when a send within a side is not acknowledged', () => {
    const r = checkServing(NODES, [window], [send('a', small[0], small[1], 2500, 'timeout')], 1000);
    expect(r.verdict).toBe('invalid');
    expect(r.witnesses[0]).toMatchObject({ notServed: { op: 'a', outcome: 'timeout' } });
  });
  it('unknown when nothing was sent within a side after the grace', () => {
    expect(checkServing(NODES, [window], [send('a', small[0], small[1], 1500, 'timeout')], 1000).verdict).toBe('unknown');
  });
});

const status = (node: string, at: number, partition: 'majority' | 'minority'): StatusSnapshot => ({
  node,
  at,
  membership: { members: NODES, reachable: [node], partition, since: at, epoch: 0 },
});

describe('membership', () => {
  const right = NODES.map((n) => status(n, 1500, small.includes(n) ? 'minority' : 'majority'));
  it('valid when the small side declares minority and the large majority', () => {
    expect(checkMembership(NODES, [window], right, 1000).verdict).toBe('valid');
  });
  it('invalid when a minority node never declares it', () => {
    const wrong = right.map((s) => (s.node === small[0] ? status(s.node, 1500, 'majority') : s));
    const r = checkMembership(NODES, [window], wrong, 1000);
    expect(r.verdict).toBe('invalid');
    expect(r.witnesses[0]).toMatchObject({ wrongSide: { node: small[0], expected: 'minority', saw: 'majority' } });
  });
  it('unknown when /status carries no membership', () => {
    expect(checkMembership(NODES, [window], [], 1000).verdict).toBe('unknown');
  });
});

describe('judge', () => {
  const spec = scenarioNamed('split-brain');
  const history = { ...emptyHistory(NODES), sends: [send('a', large[0], large[1], 2500, 'acked')] };
  history.receipts = [{ node: large[1], from: large[0], payload: 'a', at: 6000 }];
  const base = { spec, nodes: NODES, history, windows: [window], reach: sees(1200, true) };
  it('is unknown, never valid, when the node has no /log, naming the reason', () => {
    const v = judge({ ...base, logMissing: 'n1 has no GET /log' });
    expect(v.verdict).toBe('unknown');
    expect(v.reason).toContain('n1 has no GET /log');
    expect(v.checkers.find((c) => c.checker === 'delivery')?.verdict).toBe('valid');
  });
  it('is invalid when any checker is, whatever the others say', () => {
    const lost = { ...history, receipts: [] };
    const v = judge({ ...base, history: lost, logMissing: 'no /log' });
    expect(v.verdict).toBe('invalid');
    expect(v.reason).toMatch(/^delivery: 1 lost/);
  });
});
