// The protocol figures on simulated members (manual clock, 200 ms
// heartbeats, 1-5 ms links): messages per gossip event, detection and
// convergence. Simulated time, so the bounds are exact, not timings.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { Cluster } from '../../suites/control/cluster.ts';

let backend: CryptoBackend;
beforeAll(async () => {
  backend = await loadBackend('liboqs');
});

describe.each([3, 5, 9])('%i simulated members', (n) => {
  it('each broadcast costs at most N-1 relays (bound 2N), one critical event commits everywhere', () => {
    const c = new Cluster({ size: n, backend, seed: n });
    c.run(600);
    const id = c.propose('node-1', 'policy', 'sim');
    c.run(600);
    for (const x of c.ids)
      expect(
        c
          .node(x)
          .logView()
          .entries.map((e) => e.proposalId),
      ).toEqual([id]);
    const per = c.messagesPerEvent();
    for (const t of ['proposal', 'vote', 'commit', 'digest']) {
      expect(per[t].max).toBeLessThanOrEqual(n - 1);
      expect(per[t].max).toBeLessThanOrEqual(2 * n);
    }
  });

  it('a halves partition is detected within 3 heartbeats and heals to one log', () => {
    const c = new Cluster({ size: n, backend, seed: 100 + n });
    c.run(600);
    const minority = c.ids.slice(0, Math.floor((n - 1) / 2));
    const majority = c.ids.filter((x) => !minority.includes(x));
    c.partition([minority, majority]);
    const detected = c.runUntil(
      () =>
        minority.every((x) => c.node(x).status().membership.partition === 'minority') &&
        majority.every((x) => c.node(x).status().membership.reachable.length === majority.length),
      3000,
    );
    expect(detected).toBeLessThanOrEqual(600);
    c.propose(minority[0], 'policy', 'left');
    c.propose(majority[0], 'policy', 'right');
    c.run(1000);
    c.heal();
    const healed = c.runUntil(
      () =>
        new Set(
          c.ids.map((x) =>
            JSON.stringify(
              c
                .node(x)
                .logView()
                .entries.map((e) => e.eventHash),
            ),
          ),
        ).size === 1 && c.node('node-1').logView().entries.length === 2,
      5000,
    );
    expect(healed).toBeLessThanOrEqual(2000);
  });
});

describe('a committed revocation', () => {
  it('removes the node, moves the epoch, and later events commit under the new member set only', () => {
    const c = new Cluster({ size: 5, backend, seed: 55 });
    c.run(600);
    const revoke = c.propose('node-1', 'revoke', 'node-5');
    c.run(600);
    for (const x of c.ids.slice(0, 4)) {
      expect(c.node(x).status().membership).toMatchObject({ epoch: 1, members: ['node-1', 'node-2', 'node-3', 'node-4'] });
      expect(
        c
          .node(x)
          .logView()
          .entries.map((e) => e.proposalId),
      ).toEqual([revoke]);
    }
    // The revoked node's gossip is now refused everywhere, whatever it signs.
    const before = c.node('node-2').status().gossip.dropped.non_member;
    const after = c.propose('node-5', 'policy', 'from-the-revoked');
    const next = c.propose('node-2', 'policy', 'after-revocation');
    c.run(1000);
    expect(c.node('node-2').status().gossip.dropped.non_member).toBeGreaterThan(before);
    for (const x of c.ids.slice(0, 4)) {
      const entries = c.node(x).logView().entries;
      expect(entries.map((e) => e.proposalId)).toEqual([revoke, next]);
      expect(entries[1].certificate.epoch).toBe(1);
      expect(entries.some((e) => e.proposalId === after)).toBe(false);
    }
  });
});

describe('three proposals racing for one slot', () => {
  it.each([1, 2, 3, 4])('seed %i: a split round is proven dead and the next round decides; all three commit, one log', (seed) => {
    const c = new Cluster({ size: 5, backend, seed });
    c.run(600);
    const ids = ['node-1', 'node-3', 'node-5'].map((n) => c.propose(n, 'policy', `race-${n}`));
    c.run(3000);
    const logs = new Set(
      c.ids.map((x) =>
        c
          .node(x)
          .logView()
          .entries.map((e) => e.proposalId)
          .join(','),
      ),
    );
    expect(logs.size).toBe(1);
    expect([...logs][0].split(',').sort()).toEqual([...ids].sort());
    for (const x of c.ids) expect(c.node(x).status().quorum).toMatchObject({ equivocations: 0, safetyViolations: 0 });
  });
});
