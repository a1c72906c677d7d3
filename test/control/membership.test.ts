import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/mesh/control/clock.ts';
import { Membership } from '../../src/mesh/control/membership.ts';
import { memberSet } from '../../src/mesh/control/members.ts';

const H = 200;
const members = memberSet(0, ['n1', 'n2', 'n3', 'n4', 'n5']);

function run(m: Membership, clock: ManualClock, ms: number, heard: string[]) {
  const changes = [];
  for (let t = 0; t < ms; t += H) {
    clock.advance(H);
    for (const p of heard) m.heard(p);
    const c = m.tick();
    if (c) changes.push(c);
  }
  return changes;
}

describe('Membership', () => {
  it('starts minority alone, turns majority on hearing a strict majority (self included)', () => {
    const clock = new ManualClock(0);
    const m = new Membership({ self: 'n1', members, heartbeatMs: H, clock });
    expect(m.status()).toMatchObject({ partition: 'minority', reachable: ['n1'], since: 0 });
    run(m, clock, H, ['n2']);
    expect(m.status().partition).toBe('minority');
    run(m, clock, H, ['n2', 'n3']);
    expect(m.status()).toMatchObject({
      partition: 'majority',
      reachable: ['n1', 'n2', 'n3'],
      since: 2 * H,
      members: members.members,
      epoch: 0,
    });
  });

  it('detects a cut within 3 heartbeat intervals of the last heartbeat, whatever the phase', () => {
    for (const phase of [0, 1, 50, 199]) {
      const clock = new ManualClock(0);
      const m = new Membership({ self: 'n1', members, heartbeatMs: H, clock });
      run(m, clock, 5 * H, ['n2', 'n3', 'n4']);
      clock.advance(phase);
      m.heard('n2');
      m.heard('n3');
      const lastHeard = clock.now();
      let detected: number | undefined;
      for (let i = 0; i < 10 && detected === undefined; i++) {
        clock.advance(H);
        if (m.tick()?.to === 'minority') detected = clock.now();
      }
      expect(detected).toBeDefined();
      expect(detected! - lastHeard).toBeLessThanOrEqual(3 * H);
    }
  });

  it('ignores heartbeats from non-members and follows a revocation', () => {
    const clock = new ManualClock(0);
    const m = new Membership({ self: 'n1', members, heartbeatMs: H, clock });
    m.heard('stranger');
    expect(m.ignored).toBe(1);
    run(m, clock, H, ['n2', 'n3']);
    m.setMembers(memberSet(1, ['n1', 'n2', 'n3']));
    run(m, clock, H, ['n2']);
    expect(m.status()).toMatchObject({ partition: 'majority', members: ['n1', 'n2', 'n3'], epoch: 1 });
  });
});
