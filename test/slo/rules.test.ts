// slo/rules: promtool check + test rules, and rule coverage; each seeded
// rules mutant fails it.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../suites/selftest/subject.ts';
import { sloMutants } from '../../suites/slo/mutants.ts';
import { checkRules, ruleCoverage } from '../../suites/slo/rules.ts';

const rulesMutant = (name: string) => resolve(PACKAGE_ROOT, sloMutants.find((m) => m.kind === 'rules' && m.name === name)!.module);

describe('slo/rules', () => {
  it('passes on rules/pqc-slo.rules.yml: promtool check and test, every alert covered both ways', () => {
    const v = checkRules();
    expect(v.status, v.reason).toBe('pass');
    expect((v.evidence.coverage as { untested: string[] }).untested).toEqual([]);
    expect((v.evidence.coverage as { alerts: string[] }).alerts).toHaveLength(5);
  });

  it('has a test for every rules mutant selftest declares', () => {
    expect(sloMutants.filter((m) => m.kind === 'rules').map((m) => m.name)).toEqual([
      'success-rate-threshold-90',
      'p95-for-30m',
      'untested-rule',
    ]);
  });

  it.each([
    ['success-rate-threshold-90', /promtool test rules failed/],
    ['p95-for-30m', /promtool test rules failed/],
    ['untested-rule', /without both a firing and a not-firing test: PqcKeyRotationFailures/],
  ])('fails on the %s mutant', (name, reason) => {
    const v = checkRules(rulesMutant(name));
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
