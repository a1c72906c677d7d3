// The chaos mutant nodes (suites/chaos/mutants.ts) judged again from runs
// recorded against real processes (`pqc-harness chaos --scenario split-brain
// --seed 1 --node-command <mutant>`, trimmed by test/support/recorded-run.ts):
// the current checkers must still find each defect, with the witness that
// names it. The real-process proof is `pqc-harness selftest --family
// chaos` (family chaos/*); never-commits runs for real in split-brain.timing.test.ts.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judgeRecorded, readRecorded } from '../support/recorded-run.ts';

const fixture = (mutant: string) => readRecorded(fileURLToPath(new URL(`fixtures/split-brain-${mutant}.json.gz`, import.meta.url)));
const checker = (v: ReturnType<typeof judgeRecorded>, name: string) => v.checkers.find((c) => c.checker === name)!;
const witnessesOf = (v: ReturnType<typeof judgeRecorded>, name: string, kind: string) =>
  checker(v, name).witnesses.filter((w) => kind in (w as object)) as Record<string, Record<string, unknown>>[];

describe('recorded chaos mutant runs (split-brain, 5 nodes, seed 1)', () => {
  it('never-declares-minority: invalid by membership alone, naming a minority node that said majority', () => {
    const r = fixture('never-declares-minority');
    const v = judgeRecorded(r);
    expect(v.verdict).toBe('invalid');
    expect(v.checkers.filter((c) => c.verdict === 'invalid').map((c) => c.checker)).toEqual(['membership']);
    const small = r.windows[0].partition.components.find((c) => c.length * 2 < r.nodes)!;
    const wrong = witnessesOf(v, 'membership', 'wrongSide').map((w) => w.wrongSide);
    expect(wrong.map((w) => w.node).sort()).toEqual([...small].sort());
    expect(wrong.every((w) => w.expected === 'minority' && w.saw === 'majority')).toBe(true);
    // Messages still flowed: the defect is in membership, not delivery.
    expect(checker(v, 'delivery').verdict).toBe('valid');
  });

  it('commits-in-minority: invalid by safety, with a two-signer certificate and two events in one slot', () => {
    const v = judgeRecorded(fixture('commits-in-minority'));
    expect(checker(v, 'safety').verdict).toBe('invalid');
    const minorityCertificates = witnessesOf(v, 'safety', 'badCertificate').map((w) => String(w.badCertificate.problem));
    expect(minorityCertificates.some((p) => /[12] signers, 3 of 5 needed/.test(p))).toBe(true);
    expect(witnessesOf(v, 'safety', 'conflict').length).toBeGreaterThan(0);
  });

  it('merge-keeps-both: invalid by a slot conflict, and the logs never converge', () => {
    const v = judgeRecorded(fixture('merge-keeps-both'));
    expect(v.verdict).toBe('invalid');
    const [first] = checker(v, 'safety').witnesses as Record<string, { events: Record<string, string[]> }>[];
    expect(Object.keys(first)).toEqual(['conflict']);
    expect(Object.keys(first.conflict.events).length).toBeGreaterThan(1);
    expect(checker(v, 'convergence')).toMatchObject({ verdict: 'invalid', reason: expect.stringMatching(/final log differs/) });
  });

  it('each recorded verdict is what the run itself said', () => {
    for (const m of ['never-declares-minority', 'commits-in-minority', 'merge-keeps-both']) {
      const r = fixture(m);
      expect(judgeRecorded(r).verdict, m).toBe(r.verdict);
    }
  });
});
