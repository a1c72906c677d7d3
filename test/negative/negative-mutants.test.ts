// Every negative check passes on the reference (noble backend, reference
// protocol); each family fails on the mutant declared to kill it, with the
// clause in the failure reason. The checks on real node processes
// (`realNodes`, their control mutants) cost a mesh each: the selftest timing
// test (test/selftest/selftest.timing.test.ts) runs them with their mutants.
import { resolve } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../src/crypto/noble.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import type { MeshProtocol } from '../../src/mesh/protocol/seams.ts';
import { referenceProtocol } from '../../src/mesh/protocol/seams.ts';
import { NEGATIVE_CHECKS } from '../../suites/negative/index.ts';
import { negativeMutants } from '../../suites/negative/mutants.ts';
import type { Subject } from '../../suites/negative/scenario.ts';
import { toCheck } from '../../suites/negative/clause.ts';

const ctx = { seed: 20261201, profile: 'pr' as const };
const familyOf = (id: string) => `negative/${id.split('/')[0]}`;
const IN_PROCESS = NEGATIVE_CHECKS.filter((c) => !c.realNodes);
// Control and node-command mutants run in node processes: judged by the selftest timing test and test/negative/node-command.test.ts.
const IN_PROCESS_MUTANTS = negativeMutants.filter((m) => m.kind !== 'control' && m.kind !== 'node-command');

async function subjectOf(m: (typeof negativeMutants)[number]): Promise<Subject> {
  const file = resolve(import.meta.dirname, '../..', m.module);
  if (m.kind === 'backend') return { protocol: referenceProtocol, backend: await loadBackend(file, { logger: pino({ level: 'silent' }) }) };
  return { protocol: ((await import(file)) as { default: MeshProtocol }).default, backend: createNobleBackend() };
}

describe('negative checks', () => {
  it('are at least 100, with unique ids, each naming a clause', () => {
    expect(NEGATIVE_CHECKS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(NEGATIVE_CHECKS.map((c) => c.id)).size).toBe(NEGATIVE_CHECKS.length);
    for (const c of NEGATIVE_CHECKS) expect(c.clause).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('all pass on the reference', async () => {
    const subject = { protocol: referenceProtocol, backend: createNobleBackend() };
    const failed: string[] = [];
    for (const c of IN_PROCESS) {
      const v = await toCheck(c, () => subject).run(ctx);
      if (v.status !== 'pass') failed.push(`${c.id}: ${v.reason}`);
    }
    expect(failed).toEqual([]);
  }, 120_000);

  it.each(IN_PROCESS_MUTANTS.flatMap((m) => m.kills.map((family) => [m.name, family, m] as const)))(
    '%s fails %s, naming the clause',
    async (_name, family, m) => {
      const subject = await subjectOf(m);
      const reasons: string[] = [];
      for (const c of IN_PROCESS.filter((x) => familyOf(x.id) === family)) {
        const v = await toCheck(c, () => subject).run(ctx);
        if (v.status === 'fail') reasons.push(v.reason ?? '');
      }
      expect(reasons.length).toBeGreaterThan(0);
      for (const r of reasons) expect(r).toMatch(/^violates \d+\.\d+\.\d+: /);
    },
    120_000,
  );
});
