// The checkers on histories: one collected from simulated members (valid),
// and copies with one defect each (invalid, with the witness), and histories
// that cannot decide (unknown).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../src/crypto/select.ts';
import {
  certificateVerifier,
  checkConvergence,
  checkDelivery,
  checkForgery,
  checkSafety,
  emptyHistory,
  type History,
  type SendRecord,
} from '../../chaos/checkers/index.ts';
import { Cluster } from '../../suites/control/cluster.ts';

let healed: History;
let verify: ReturnType<typeof certificateVerifier>;
const clone = (h: History): History => structuredClone(h);

beforeAll(async () => {
  const c = new Cluster({ size: 5, backend: await loadBackend('liboqs'), seed: 3 });
  c.run(600);
  c.partition([c.ids.slice(0, 2), c.ids.slice(2)]);
  c.run(800);
  c.propose('node-1', 'policy', 'left');
  c.propose('node-3', 'policy', 'right');
  c.run(800);
  c.heal();
  c.run(1600);
  healed = c.history;
  verify = certificateVerifier(c.pki.trust, c.history.certificates!, c.clock);
});

const finalLog = (h: History, node: string) => h.logs.filter((s) => s.node === node).at(-1)!;

describe('safety', () => {
  it('valid on the reference history, cryptographically', () => {
    const r = checkSafety(healed, { verify });
    expect(r).toMatchObject({ verdict: 'valid', stats: { slots: 2, cryptographic: true } });
  });

  it('a slot with two events is a conflict witness', () => {
    const h = clone(healed);
    const e = finalLog(h, 'node-4').entries[0];
    Object.assign(e, { proposalId: 'other', eventHash: 'ff'.repeat(32) });
    const r = checkSafety(h);
    expect(r.verdict).toBe('invalid');
    expect(r.witnesses[0]).toMatchObject({ conflict: { slot: 1 } });
  });

  it('a certificate with too few signers, or one whose signature is flipped, is invalid', () => {
    const h = clone(healed);
    finalLog(h, 'node-2').entries[0].certificate.signatures.splice(1);
    expect(checkSafety(h).reason).toMatch(/node-2: slot 1: 1 signers, 3 of 5 needed/);
    const g = clone(healed);
    const sig = finalLog(g, 'node-5').entries[1].certificate.signatures[0];
    sig.signature = (sig.signature[0] === '0' ? '1' : '0') + sig.signature.slice(1);
    expect(checkSafety(g).verdict).toBe('valid');
    expect(checkSafety(g, { verify }).reason).toMatch(/node-5: bad_signature/);
  });

  it('a node that rewrote a committed slot, or reports a refused conflict, is invalid', () => {
    const h = clone(healed);
    const snaps = h.logs.filter((s) => s.node === 'node-3' && s.entries.length > 0);
    snaps.at(-1)!.entries = [];
    expect(checkSafety(h).witnesses).toContainEqual(
      expect.objectContaining({ rewritten: expect.objectContaining({ node: 'node-3', slot: 1 }) }),
    );
    const g = clone(healed);
    g.statuses.at(-1)!.control!.quorum!.safetyViolations = 1;
    expect(checkSafety(g).reason).toMatch(/refused 1 certificates/);
    expect(checkSafety(g, { reportedConflicts: 'ignore' }).verdict).toBe('valid');
  });

  it('unknown when nothing was committed', () => {
    expect(checkSafety(emptyHistory(['a'])).verdict).toBe('unknown');
  });
});

describe('convergence', () => {
  it('valid with the measured time after the heal', () => {
    const r = checkConvergence(healed, { boundMs: 2000, mustContain: ['node-1/1', 'node-3/1'] });
    expect(r.verdict).toBe('valid');
    expect(r.stats.convergenceMs).toBeGreaterThan(0);
    expect(r.stats.convergenceMs).toBeLessThanOrEqual(2000);
  });

  it('invalid over the bound, with a missing proposal, or with a node that differs', () => {
    expect(checkConvergence(healed, { boundMs: 1 }).reason).toMatch(/over the 1 ms bound/);
    expect(checkConvergence(healed, { boundMs: 2000, mustContain: ['nobody/1'] }).reason).toMatch(/lacks proposal nobody\/1/);
    const h = clone(healed);
    finalLog(h, 'node-2').entries.pop();
    expect(checkConvergence(h, { boundMs: 2000 })).toMatchObject({
      verdict: 'invalid',
      reason: "node-2's final log differs from node-1's",
    });
  });

  it('unknown without a heal or without commits', () => {
    expect(checkConvergence({ ...healed, timeline: [] }, { boundMs: 2000 }).verdict).toBe('unknown');
    const h = clone(healed);
    for (const s of h.logs) s.entries = [];
    expect(checkConvergence(h, { boundMs: 2000 })).toMatchObject({ verdict: 'unknown', reason: 'nothing was ever committed' });
  });
});

describe('delivery (set-full counts)', () => {
  const send = (op: string, outcome: SendRecord['outcome'] = 'acked'): SendRecord => ({
    op,
    from: 'a',
    to: 'b',
    payload: op,
    sentAt: 1,
    outcome,
    endedAt: 2,
  });
  const read = (payload: string) => ({ node: 'b', from: 'a', payload, at: 3 });
  const h = (sends: SendRecord[], receipts: ReturnType<typeof read>[]): History => ({ ...emptyHistory(['a', 'b']), sends, receipts });

  it('valid when every acknowledged message is read once; unacknowledged ones may go either way', () => {
    const r = checkDelivery(h([send('1'), send('2', 'timeout'), send('3', 'error')], [read('1'), read('2')]));
    expect(r).toMatchObject({ verdict: 'valid', stats: { acknowledged: 1, ok: 1, recovered: 1, neverRead: 1 } });
  });

  it('counts lost, duplicated and unexpected, with witnesses', () => {
    const r = checkDelivery(h([send('1'), send('2')], [read('2'), read('2'), read('9')]));
    expect(r).toMatchObject({ verdict: 'invalid', stats: { lost: 1, duplicated: 1, unexpected: 1 } });
    expect(r.witnesses[0]).toMatchObject({ lost: { op: '1' } });
  });

  it('unknown when nothing was acknowledged', () => {
    expect(checkDelivery(h([send('1', 'timeout')], [])).verdict).toBe('unknown');
  });
});

describe('forgery', () => {
  const base = (): History => {
    const h = emptyHistory(['n1', 'n2']);
    const status = (at: number, dropped: number, accepted: number) => ({
      node: 'n2',
      at,
      membership: { members: ['n1', 'n2'], reachable: ['n1', 'n2'], partition: 'majority' as const, since: 0, epoch: 0 },
      control: { gossip: { accepted, dropped: { bad_signature: dropped }, standing: { n1: { accepted } } } },
    });
    h.statuses.push(status(0, 0, 3), status(10, 1, 4));
    h.injections.push({
      at: 5,
      target: 'n2',
      kind: 'forged',
      layer: 'gossip',
      claimedOrigin: 'n1',
      expect: ['bad_signature'],
      marker: 'x',
      honestAfter: 1,
    });
    return h;
  };

  it('valid when the target counted the refusal and the origin kept its standing', () => {
    expect(checkForgery(base()).verdict).toBe('valid');
  });

  it('invalid when the counter did not move, the standing dropped, or the marker was committed', () => {
    const h = base();
    h.statuses[1].control!.gossip!.dropped.bad_signature = 0;
    expect(checkForgery(h).reason).toMatch(/counted 0 of 1 forged gossip/);
    const g = base();
    g.statuses[1].control!.gossip!.standing.n1.accepted = 2;
    expect(checkForgery(g).reason).toMatch(/n1's standing at n2 went from 3 to 2/);
    const f = base();
    f.logs.push({ node: 'n1', at: 9, entries: [{ ...finalLog(healed, 'node-1').entries[0], proposalId: 'x' }] });
    expect(checkForgery(f).reason).toMatch(/n1 committed x/);
  });

  it('unknown without injections or without counters', () => {
    expect(checkForgery(emptyHistory(['n1'])).verdict).toBe('unknown');
    const h = base();
    for (const s of h.statuses) delete s.control;
    expect(checkForgery(h).verdict).toBe('unknown');
  });
});
