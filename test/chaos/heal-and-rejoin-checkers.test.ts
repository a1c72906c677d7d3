// The checkers added for crash/restart and for what every scenario owes after
// its last heal, on hand-made histories: rejoin, membership after the heal,
// and convergence timed to what was proposed before the heal.
import { describe, expect, it } from 'vitest';
import { checkConvergence } from '../../chaos/checkers/convergence.ts';
import { emptyHistory, type EntryView, type LogSnapshot, type StatusSnapshot } from '../../chaos/checkers/history.ts';
import { checkMembership } from '../../chaos/checkers/membership.ts';
import { checkRejoin } from '../../chaos/checkers/rejoin.ts';

const NODES = ['n1', 'n2', 'n3'];
const everyone = (node: string, at: number) => ({ node, at, reachable: NODES.filter((x) => x !== node) });

describe('rejoin', () => {
  const crash = { node: 'n2', killedAt: 1000, restartedAt: 3000 };
  it('valid when the restarted node and its peers see each other again within the bound', () => {
    const r = checkRejoin(NODES, [crash], [everyone('n1', 3400), everyone('n2', 3200), everyone('n3', 3600)], 2000);
    expect(r).toMatchObject({ verdict: 'valid', stats: { rejoinMs: [600] } });
  });
  it('invalid, naming the peer, when one peer never sees the restarted node', () => {
    const n3 = { node: 'n3', at: 3600, reachable: ['n1'] };
    const r = checkRejoin(NODES, [crash], [everyone('n1', 3400), everyone('n2', 3200), n3], 2000);
    expect(r.verdict).toBe('invalid');
    expect(r.witnesses[0]).toMatchObject({ notRejoined: { node: 'n2', unreachable: ['n3'] } });
  });
  it('invalid when the reach before the crash is all there is, or it came too late', () => {
    expect(
      checkRejoin(
        NODES,
        [crash],
        NODES.map((n) => everyone(n, 500)),
        2000,
      ).verdict,
    ).toBe('invalid');
    expect(
      checkRejoin(
        NODES,
        [crash],
        NODES.map((n) => everyone(n, 9000)),
        2000,
      ).reason,
    ).toMatch(/did not rejoin/);
  });
  it('invalid when a killed node was never restarted; unknown when nothing crashed', () => {
    expect(checkRejoin(NODES, [{ node: 'n2', killedAt: 1000 }], [], 2000).reason).toMatch(/never restarted/);
    expect(checkRejoin(NODES, [], [], 2000).verdict).toBe('unknown');
  });
});

const status = (node: string, at: number, partition: 'majority' | 'minority'): StatusSnapshot => ({
  node,
  at,
  membership: { members: NODES, reachable: [node], partition, since: at, epoch: 0 },
});

describe('membership after the heal', () => {
  const healed = { at: 5000, boundMs: 1000 };
  it('valid when every node is majority again within the bound, with no partition to judge', () => {
    const r = checkMembership(
      NODES,
      [],
      [...NODES.map((n) => status(n, 4000, 'minority')), ...NODES.map((n) => status(n, 5500, 'majority'))],
      1000,
      healed,
    );
    expect(r.verdict).toBe('valid');
  });
  it('invalid when a node stays minority after the heal (a majority before it does not count)', () => {
    const statuses = [
      ...NODES.map((n) => status(n, 4000, 'majority')),
      ...NODES.map((n) => status(n, 5500, n === 'n3' ? 'minority' : 'majority')),
    ];
    const r = checkMembership(NODES, [], statuses, 1000, healed);
    expect(r.verdict).toBe('invalid');
    expect(r.witnesses[0]).toMatchObject({ notHealed: { node: 'n3', saw: 'minority' } });
    expect(r.reason).toMatch(/n3 never declared majority after the heal/);
  });
  it('without a heal expectation and without partitions, nothing to judge', () => {
    expect(checkMembership(NODES, [], [status('n1', 1, 'majority')], 1000).verdict).toBe('unknown');
  });
});

const entry = (slot: number, proposalId: string): EntryView =>
  ({ slot, proposalId, eventHash: `h-${proposalId}`, kind: 'policy', proposer: 'n1', payload: proposalId }) as unknown as EntryView;
const log = (node: string, at: number, ids: string[]): LogSnapshot => ({ node, at, entries: ids.map((id, i) => entry(i + 1, id)) });

describe('convergence timed to the proposals before the heal', () => {
  // Heal at 1000; p1, p2 proposed before it, p3 (normal operation) long after.
  const h = {
    ...emptyHistory(NODES),
    timeline: [{ at: 1000, kind: 'heal' as const, detail: 'healed' }],
    logs: [
      ...NODES.map((n) => log(n, 1100, n === 'n3' ? ['p1'] : ['p1', 'p2'])),
      ...NODES.map((n) => log(n, 1800, ['p1', 'p2'])),
      ...NODES.map((n) => log(n, 9000, ['p1', 'p2', 'p3'])),
    ],
  };
  const proposedAt = new Map([
    ['p1', 100],
    ['p2', 900],
    ['p3', 8500],
  ]);
  it('measures until every node holds what was proposed before the heal', () => {
    const r = checkConvergence(h, { boundMs: 2000, proposedAt });
    expect(r).toMatchObject({ verdict: 'valid', stats: { convergenceMs: 800, settledSlots: 2, slots: 3 } });
  });
  it('without the proposal times, the last commit of normal operation is timed (and over the bound)', () => {
    expect(checkConvergence(h, { boundMs: 2000 })).toMatchObject({ verdict: 'invalid', stats: { convergenceMs: 8000 } });
  });
  it('final logs must still be identical', () => {
    const split = { ...h, logs: [...h.logs, log('n3', 9500, ['p1', 'p2', 'p4'])] };
    expect(checkConvergence(split, { boundMs: 2000, proposedAt }).verdict).toBe('invalid');
  });
});
