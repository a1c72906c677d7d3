// Issue 10's "done when", on 5 real node processes: cut node-1 and node-2
// off from node-3..5 with POST /links; within 3 heartbeats node-1/2 report
// minority and node-3..5 majority; a proposal on node-1 stays queued, one
// on node-3 commits; after restoring the links every node's /log is
// identical, holds both in the same slots with valid certificates, and no
// slot conflicts anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { certificateVerifier, checkConvergence, checkSafety } from '../../chaos/checkers/index.ts';
import { detectionProblem, logKeys, NodeMesh, split } from '../../suites/control/nodes.ts';

describe('control plane on 5 real nodes (issue 10, done when)', () => {
  let m: NodeMesh;
  beforeAll(async () => {
    m = await NodeMesh.start({ size: 5, issuer: createNobleBackend(), heartbeatMs: 200 });
  }, 60_000);
  afterAll(async () => m?.stop());

  it('minority queues, majority commits, heal converges to one certified log', async () => {
    const s = split(m);
    const cut = await s;
    expect(cut.minority).toEqual(['node-1', 'node-2']);
    expect(detectionProblem(m.heartbeatMs, cut)).toBeUndefined();
    for (const id of cut.minority) expect((await m.status(id)).membership.partition).toBe('minority');
    for (const id of cut.majority) expect((await m.status(id)).membership.partition).toBe('majority');

    const queued = await m.propose('node-1', 'policy', 'from-node-1');
    const committed = await m.propose('node-3', 'policy', 'from-node-3');
    const done = await m.waitUntil(
      async () => (await Promise.all(cut.majority.map((id) => m.log(id)))).every((l) => l.entries.some((e) => e.proposalId === committed)),
      10_000,
    );
    expect(done).toBeDefined();
    await new Promise((r) => setTimeout(r, 3 * m.heartbeatMs));
    const l1 = await m.log('node-1');
    expect(l1.entries).toEqual([]);
    expect(l1.proposals.find((p) => p.proposalId === queued)?.state).toBe('queued');
    await m.snapshot();

    await m.links(cut.minority, cut.majority, true);
    const converged = await m.waitUntil(async () => {
      await m.snapshot();
      const keys = await logKeys(m);
      return new Set(keys.values()).size === 1 && keys.get('node-1')!.split(',').length === 2;
    }, 10_000);
    expect(converged).toBeDefined();
    await m.snapshot();

    const logs = await Promise.all(m.ids.map((id) => m.log(id)));
    const slots = (l: (typeof logs)[number]) => l.entries.map((e) => [e.slot, e.proposalId, e.eventHash]);
    for (const l of logs) expect(slots(l)).toEqual(slots(logs[0]));
    expect(logs[0].entries.map((e) => e.proposalId).sort()).toEqual([committed, queued].sort());
    const safety = checkSafety(m.history, { verify: certificateVerifier(m.trust, m.history.certificates!) });
    expect(safety.verdict, safety.reason).toBe('valid');
    const conv = checkConvergence(m.history, { boundMs: 2_000, mustContain: [queued, committed] });
    expect(conv.verdict, conv.reason).toBe('valid');
    for (const id of m.ids) expect((await m.status(id)).control.quorum.safetyViolations).toBe(0);
  }, 60_000);
});
