// slo/rules: promtool check + test rules, and rule coverage; each seeded
// rules mutant fails it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRules, ruleCoverage } from '../../suites/slo/rules.ts';

const MUTANTS = join(import.meta.dirname, '../mutants/rules');

describe('slo/rules', () => {
  it('passes on rules/pqc-slo.rules.yml: promtool check and test, every alert covered both ways', () => {
    const v = checkRules();
    expect(v.status, v.reason).toBe('pass');
    expect((v.evidence.coverage as { untested: string[] }).untested).toEqual([]);
    expect((v.evidence.coverage as { alerts: string[] }).alerts).toHaveLength(5);
  });

  it.each([
    ['success-rate-threshold-90', /promtool test rules failed/],
    ['p95-for-30m', /promtool test rules failed/],
    ['untested-rule', /without both a firing and a not-firing test: PqcKeyRotationFailures/],
  ])('fails on the %s mutant', (name, reason) => {
    const v = checkRules(join(MUTANTS, `${name}.rules.yml`));
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(reason);
  });

  it('counts a rule with only a firing case as untested', () => {
    const c = ruleCoverage(
      { groups: [{ name: 'g', rules: [{ alert: 'A' }, { alert: 'B' }, { record: 'r' }] }] },
      {
        tests: [
          {
            alert_rule_test: [
              { alertname: 'A', exp_alerts: [{}] },
              { alertname: 'A', exp_alerts: [] },
              { alertname: 'B', exp_alerts: [{}] },
            ],
          },
        ],
      },
    );
    expect(c).toEqual({ alerts: ['A', 'B'], firingCase: ['A', 'B'], notFiringCase: ['A'], untested: ['B'] });
  });
});
