// Nemesis schedules are pure functions of their seed, and every partition
// spec cuts what its name says.
import { describe, expect, it } from 'vitest';
import { partition, PARTITION_SPECS, reachability } from '../../chaos/nemesis/partition.ts';
import { seededRandom } from '../../chaos/nemesis/random.ts';
import { allLinks, NEMESES, nemesisSchedule } from '../../chaos/nemesis/schedule.ts';

const nodes = (n: number) => Array.from({ length: n }, (_, i) => `node-${i + 1}`);
const symmetric = (cut: { from: string; to: string }[]) => cut.every((l) => cut.some((r) => r.from === l.to && r.to === l.from));

describe('nemesis schedules', () => {
  it.each(NEMESES)('%s: the same seed gives the same schedule, another seed may not, and it ends healed', (name) => {
    const o = { nodes: nodes(5), seed: 1, durationMs: 10_000 };
    const a = nemesisSchedule(name, o);
    expect(nemesisSchedule(name, o)).toEqual(a);
    expect(a.actions.length).toBeGreaterThanOrEqual(3);
    const times = a.actions.map((x) => x.atMs);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(Math.max(...times)).toBeLessThan(o.durationMs);
    const last = a.actions.slice(-2).map((x) => x.action.op);
    expect(last).toEqual(expect.arrayContaining(['heal', 'clear-toxics']));
  });

  it('different seeds choose different victims', () => {
    const victims = new Set(
      Array.from({ length: 20 }, (_, seed) => {
        const s = nemesisSchedule('one', { nodes: nodes(5), seed, durationMs: 1000 });
        const p = s.actions.find((x) => x.action.op === 'partition')!.action;
        return p.op === 'partition' ? p.partition.components[0].join() : '';
      }),
    );
    expect(victims.size).toBeGreaterThan(2);
  });

  it('refuses an unknown nemesis and duplicate node ids, naming them', () => {
    expect(() => nemesisSchedule('halvez', { nodes: nodes(3), seed: 1, durationMs: 1 })).toThrow(/unknown nemesis "halvez"; known: halves/);
    expect(() => nemesisSchedule('halves', { nodes: ['a', 'a'], seed: 1, durationMs: 1 })).toThrow(/distinct: a, a/);
  });
});

describe('partition specs', () => {
  const rng = () => seededRandom(42);

  it('halves: two sides of floor(n/2) and the rest, every link between them cut both ways', () => {
    const p = partition('halves', nodes(5), rng());
    expect(p.components.map((c) => c.length)).toEqual([2, 3]);
    expect(p.cut).toHaveLength(2 * 2 * 3);
    expect(symmetric(p.cut)).toBe(true);
  });

  it('one isolates a single node; majority keeps a strict majority together; minority-third cuts a third', () => {
    expect(partition('one', nodes(5), rng()).components.map((c) => c.length)).toEqual([1, 4]);
    expect(partition('majority', nodes(5), rng()).components.map((c) => c.length)).toEqual([3, 2]);
    expect(partition('minority-third', nodes(7), rng()).components.map((c) => c.length)).toEqual([2, 5]);
  });

  it('bridge: one node reaches both halves, which cannot reach each other', () => {
    const p = partition('bridge', nodes(5), rng());
    const [a, b] = p.components;
    const bridge = a.find((x) => b.includes(x))!;
    const reach = reachability(nodes(5), p.cut);
    expect(reach.get(bridge)).toHaveLength(4);
    for (const x of a.filter((n) => n !== bridge)) for (const y of b.filter((n) => n !== bridge)) expect(reach.get(x)).not.toContain(y);
  });

  it('majorities-ring: every node sees a majority, no two see the same one, and cuts are symmetric', () => {
    const n = nodes(5);
    const p = partition('majorities-ring', n, rng());
    const reach = reachability(n, p.cut);
    for (const x of n) expect((reach.get(x)?.length ?? 0) + 1).toBeGreaterThanOrEqual(3);
    const views = n.map((x) => [x, ...reach.get(x)!].sort().join());
    expect(new Set(views).size).toBe(5);
    expect(symmetric(p.cut)).toBe(true);
  });

  it('one-way cuts a single direction of one pair', () => {
    const p = partition('one-way', nodes(3), rng());
    expect(p.cut).toHaveLength(1);
    expect(symmetric(p.cut)).toBe(false);
  });

  it('every spec cuts something and names itself', () => {
    for (const spec of PARTITION_SPECS) {
      const p = partition(spec, nodes(5), rng());
      expect(p.spec).toBe(spec);
      expect(p.cut.length).toBeGreaterThan(0);
      expect(p.cut.length).toBeLessThan(allLinks(nodes(5)).length);
    }
  });
});
