// junit.xml: one testcase per check for CI test tabs (Ant/Surefire JUnit XML).
// classname is the check family; a skip carries its reason, a failure the
// evidence summary and the severity.
import type { CertificationReport, ReportedCheck } from './model.ts';
import { familyOf } from '../check/family.ts';
import { severityOf } from './severity.ts';
import { checkLabel, evidenceSummary, truncate, xmlEscape as x } from './text.ts';

const secs = (ms: number) => (ms / 1000).toFixed(3);

function testcase(c: ReportedCheck, report: CertificationReport): string {
  const head = `    <testcase name="${x(checkLabel(c))}" classname="${x(familyOf(c.id))}" time="${secs(c.durationMs)}"`;
  if (c.status === 'pass') return `${head}/>`;
  if (c.status === 'skip') return `${head}>\n      <skipped message="${x(truncate(c.reason ?? 'skipped', 1000))}"/>\n    </testcase>`;
  const sev = severityOf(c.id);
  const waived = report.policy?.violations.find((v) => v.check === c.id && v.backend === c.backend && v.waivedBy !== undefined);
  const w = waived?.waivedBy !== undefined ? report.policy?.waivers[waived.waivedBy] : undefined;
  const detail = [
    evidenceSummary(c),
    `severity: ${sev ? `${sev.severity} (${sev.source})` : 'none in the table'}`,
    ...(w ? [`waived by ${w.owner} until ${w.expires}: ${w.reason}`] : []),
  ].join('\n');
  return `${head}>\n      <failure message="${x(truncate(c.reason ?? 'failed', 1000))}" type="${x(sev?.severity ?? 'unclassified')}">${x(detail)}</failure>\n    </testcase>`;
}

export function renderJunit(r: CertificationReport): string {
  const families = new Map<string, ReportedCheck[]>();
  for (const c of r.checks) families.set(familyOf(c.id), [...(families.get(familyOf(c.id)) ?? []), c]);
  const n = (cs: readonly ReportedCheck[], s: string) => cs.filter((c) => c.status === s).length;
  const total = (cs: readonly ReportedCheck[]) => cs.reduce((a, c) => a + c.durationMs, 0);
  const props = [
    ['seed', String(r.seed)],
    ['profile', r.profile],
    ['verdict', r.verdict],
    ...r.backends.map((b) => [`backend.${b.name}`, b.version]),
  ]
    .map(([k, v]) => `      <property name="${x(k)}" value="${x(v)}"/>`)
    .join('\n');
  const suites = [...families].map(([family, cs]) =>
    [
      `  <testsuite name="${x(family)}" tests="${cs.length}" failures="${n(cs, 'fail')}" errors="0" skipped="${n(cs, 'skip')}" time="${secs(total(cs))}" timestamp="${r.startedAt.replace(/\.\d+Z$|Z$/, '')}" hostname="localhost">`,
      `    <properties>\n${props}\n    </properties>`,
      ...cs.map((c) => testcase(c, r)),
      '  </testsuite>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pqc-harness ${x(r.command)} ${x(r.profile)}" tests="${r.checks.length}" failures="${n(r.checks, 'fail')}" errors="0" skipped="${n(r.checks, 'skip')}" time="${secs(r.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
