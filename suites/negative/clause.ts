// A negative check names the clause of docs/mesh.md it tests; its verdict
// says "violates <clause>" with the frames that showed it.
import type { Check, CheckContext, Verdict } from '../../src/check/evidence.ts';
import { fail, pass } from '../../src/check/evidence.ts';
import type { HandshakeRun, Outcome, Subject } from './scenario.ts';

export interface NegativeCheck {
  /** Below `negative/`, e.g. `downgrade/strip-pq-suites`. */
  id: string;
  /** Section number of a clause in docs/mesh.md, e.g. `3.2.2`. */
  clause: string;
  title: string;
  /** Starts real node processes (seconds each): the in-process test loops leave it to the selftest timing test. */
  realNodes?: boolean;
  run(subject: Subject, ctx: CheckContext): Promise<Verdict>;
}

/** The family is the id's first segment: one mutant must fail some check of each. */
export function toCheck(c: NegativeCheck, subject: () => Subject): Check {
  const family = `negative/${c.id.split('/')[0]}`;
  return {
    id: `negative/${c.id}`,
    title: `§${c.clause} ${c.title}`,
    family,
    // Real node processes hold a worker for seconds: the pool starts them first.
    ...(c.realNodes ? { schedule: { long: true } } : {}),
    run: async (ctx) => {
      const v = await c.run(subject(), ctx);
      const evidence = { clause: c.clause, ...v.evidence };
      return v.status === 'fail' ? { ...v, reason: `violates ${c.clause}: ${v.reason ?? 'failed'}`, evidence } : { ...v, evidence };
    },
  };
}

export interface Expected {
  initiator: Outcome;
  responder: Outcome;
}

/** Both sides must end as expected (a reason each, or a session). */
export function judge(run: HandshakeRun, expected: Expected, attack: string): Verdict {
  const evidence = {
    attack,
    initiator: run.initiator,
    responder: run.responder,
    expected,
    frames: run.attacker.trace(),
  };
  if (run.initiator === expected.initiator && run.responder === expected.responder) return pass(evidence);
  const show = (o: Outcome) => (o === 'ok' ? 'completed the handshake' : `ended with ${o}`);
  return fail(
    `${attack}: initiator ${show(run.initiator)} (expected ${expected.initiator}), responder ${show(run.responder)} (expected ${expected.responder})`,
    evidence,
  );
}

/** The common case: one side detects `reason` and its ALERT tells the other. */
export const detectedBy = (reason: Outcome): Expected => ({ initiator: reason, responder: reason });
