import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeRelay, encodeRelay, forwardPlan, originPlan } from '../../src/mesh/control/fanout.ts';

/** Floods one message through `plan` over the undirected `links`; returns receipts per node and sends. */
function flood(members: string[], links: (a: string, b: string) => boolean, fanout: number) {
  const reach = (n: string) => new Set(members.filter((m) => m !== n && links(n, m)));
  const got = new Map<string, number>();
  let sends = 0;
  const queue = originPlan(members[0], members, reach(members[0]), fanout).map((s) => ({ ...s, from: members[0] }));
  while (queue.length) {
    const s = queue.shift()!;
    sends++;
    if (!links(s.from, s.to)) continue;
    got.set(s.to, (got.get(s.to) ?? 0) + 1);
    if (got.get(s.to)! > 1) continue;
    for (const next of forwardPlan({ self: s.to, reachable: reach(s.to), pending: s.pending, fanout })) queue.push({ ...next, from: s.to });
  }
  return { got, sends };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `node-${i + 1}`);

describe('forwardPlan', () => {
  it('on a connected mesh every member receives exactly once: N-1 sends per event', () => {
    for (const n of [3, 5, 9, 17])
      for (const f of [1, 2, 3, 8]) {
        const { got, sends } = flood(ids(n), () => true, f);
        expect(sends).toBe(n - 1);
        expect([...got.values()].every((x) => x === 1) && got.size === n - 1).toBe(true);
      }
  });

  it('with an unbounded fanout, reaches every member a path exists to, across any random link failures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.array(fc.boolean(), { minLength: 81, maxLength: 81 }), (n, bits) => {
        const f = n;
        const m = ids(n);
        const up = (a: string, b: string) => {
          const [i, j] = [m.indexOf(a), m.indexOf(b)].sort();
          return bits[i * 9 + j];
        };
        const seen = new Set([m[0]]);
        for (let grew = true; grew; ) {
          grew = false;
          for (const a of [...seen]) for (const b of m) if (!seen.has(b) && up(a, b)) grew = !!seen.add(b);
        }
        const { got, sends } = flood(m, up, f);
        expect(new Set([m[0], ...got.keys()])).toEqual(seen);
        expect(sends).toBeLessThanOrEqual(n * n);
      }),
      { seed: 20261201, numRuns: 300 },
    );
  });

  it('a bounded fanout can lose a member behind a child that cannot reach it (why the default is unbounded)', () => {
    const m = ids(3);
    const up = (a: string, b: string) => !((a === 'node-2' && b === 'node-3') || (a === 'node-3' && b === 'node-2'));
    expect(flood(m, up, 1).got.has('node-3')).toBe(false);
    expect(flood(m, up, 3).got.has('node-3')).toBe(true);
  });

  it('is pure and refuses a fanout below 1', () => {
    const input = { self: 'a', reachable: new Set(['b', 'c']), pending: ['b', 'c', 'd'], fanout: 1 };
    expect(forwardPlan(input)).toEqual(forwardPlan(input));
    expect(forwardPlan(input)).toEqual([{ to: 'b', pending: ['c', 'd'] }]);
    expect(() => forwardPlan({ ...input, fanout: 0 })).toThrow(/fanout/);
  });

  it('relay frames round-trip', () => {
    const r = { pending: ['node-2', 'node-3'], gossip: new Uint8Array([1, 2]) };
    expect(decodeRelay(encodeRelay(r))).toEqual(r);
  });
});
