// Node commands and rules files with one seeded defect each, and the slo
// checks they must make fail. All are plain at pr size (the 2% mutant leaves
// the success interval undecided there, which fails the check too), so
// selftest runs them at pr size even in a release run.
import type { MutantSpec } from '../mutant.ts';

const node = (name: string, kills: string[]): MutantSpec => ({
  name,
  kind: 'node-command',
  module: `test/mutants/nodes/${name}.ts`,
  kills,
  size: 'pr',
});
const rules = (name: string): MutantSpec => ({
  name,
  kind: 'rules',
  module: `test/mutants/rules/${name}.rules.yml`,
  kills: ['slo/rules'],
  size: 'pr',
});

export const sloMutants: readonly MutantSpec[] = [
  node('slow-handshake', ['slo/handshake/p95']),
  node('failing-handshakes', ['slo/handshake/success-rate']),
  node('in-fallback', ['slo/fallback-rate']),
  node('latency-in-ms', ['slo/agreement']),
  rules('success-rate-threshold-90'),
  rules('p95-for-30m'),
  rules('untested-rule'),
];
