// Applies a policy set to a report (or a deployment config) and waivers to
// the violations, giving the policy section every output shows.
import { ConfigError } from '../errors.ts';
import type { CertificationReport, PolicySection, Violation, Waiver } from '../report/model.ts';
import { type Severity, severityOf } from '../report/severity.ts';
import { reportInput } from './input.ts';
import type { CompiledRule, PolicyKind, PolicySet } from './rules.ts';
import { isExpired, waiverMatches } from './waivers.ts';

export interface EvaluateOptions {
  waivers?: readonly Waiver[];
  now?: Date;
  /** Name of the mesh under test, for waivers scoped to a mesh. */
  meshName?: string;
}

type Item = Record<string, unknown>;

function asList(v: unknown, rule: CompiledRule): unknown[] {
  if (!Array.isArray(v)) throw new ConfigError(`${rule.file}: rule ${rule.id}: violations must evaluate to a list, got ${typeof v}`);
  return v;
}

function describe(item: unknown): string {
  if (typeof item === 'string' || typeof item === 'number' || typeof item === 'bigint') return String(item);
  return JSON.stringify(item, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
}

function violationsOf(rule: CompiledRule, vars: Record<string, unknown>): Omit<Violation, 'waivedBy'>[] {
  let value: unknown;
  try {
    value = rule.program(vars);
  } catch (e) {
    // A rule that cannot be evaluated is a defect of the policy, reported as such rather than as a pass.
    throw new ConfigError(`${rule.file}: rule ${rule.id}: evaluation failed: ${(e as Error).message.split('\n')[0]}`);
  }
  const fixed = (severity: Severity, source: string) => ({ rule: rule.id, severity, source, action: rule.action });
  const ruleSeverity: Severity = rule.severity === 'check' ? 'harness' : rule.severity;
  if (rule.form === 'deny') {
    if (typeof value !== 'boolean') throw new ConfigError(`${rule.file}: rule ${rule.id}: deny must evaluate to a bool`);
    return value ? [{ ...fixed(ruleSeverity, `policy ${rule.file}`), message: rule.message }] : [];
  }
  return asList(value, rule).map((item) => {
    const it = item as Item;
    const isCheck = typeof it === 'object' && it !== null && typeof it.id === 'string' && typeof it.status === 'string';
    if (!isCheck) return { ...fixed(ruleSeverity, `policy ${rule.file}`), message: `${rule.message}: ${describe(item)}` };
    const id = it.id as string;
    const backend = typeof it.backend === 'string' && it.backend !== '' ? it.backend : undefined;
    const table = severityOf(id);
    const severity = rule.severity === 'check' ? (table?.severity ?? 'harness') : rule.severity;
    const source = rule.severity === 'check' ? (table?.source ?? 'no severity in the table: a harness defect') : `policy ${rule.file}`;
    const reason = typeof it.reason === 'string' && it.reason ? `: ${it.reason}` : '';
    return { ...fixed(severity, source), message: `${rule.message}: ${id}${backend ? ` [${backend}]` : ''}${reason}`, check: id, backend };
  });
}

/** Every violation of the policies of `kind` in the set, evaluated over `vars` (plus each policy's `params`). */
export function collectViolations(set: PolicySet, kind: PolicyKind, vars: Record<string, unknown>): Violation[] {
  const violations: Violation[] = [];
  for (const p of set.policies) {
    if (p.kind !== kind) continue;
    for (const rule of p.rules) violations.push(...violationsOf(rule, { ...vars, params: p.params }));
  }
  return violations;
}

/** Applies the waivers to the violations and decides the policy outcome. */
export function applyWaivers(set: PolicySet, found: readonly Violation[], opts: EvaluateOptions = {}): PolicySection {
  const now = opts.now ?? new Date();
  const waivers = opts.waivers ?? [];
  const violations = found.map((v) => ({ ...v }));
  const used = new Set<number>();
  const expired = waivers.map((w) => isExpired(w, now));
  for (const v of violations) {
    const i = waivers.findIndex((w, k) => !expired[k] && waiverMatches(w, v, opts.meshName));
    if (i >= 0 && v.action === 'fail') {
      v.waivedBy = i;
      used.add(i);
    }
  }
  const warnings: string[] = [];
  const statuses = waivers.map((w, k) => {
    if (expired[k]) {
      violations.push({
        rule: 'waiver-expired',
        message: `waiver for ${w.id} (owner ${w.owner}) expired on ${w.expires}: renew it with a new reason or fix the finding`,
        severity: 'harness',
        source: 'waivers: an expired waiver fails the run',
        action: 'fail',
      });
      return { ...w, status: 'expired' as const };
    }
    if (!used.has(k)) {
      warnings.push(`waiver for ${w.id} (owner ${w.owner}) matches no finding: the finding is gone, remove the waiver`);
      return { ...w, status: 'unmatched' as const };
    }
    return { ...w, status: 'active' as const };
  });
  for (const v of violations) if (v.action === 'warn') warnings.push(`warning (${v.rule}): ${v.message}`);
  const failing = violations.filter((v) => v.action === 'fail' && v.waivedBy === undefined);
  const waived = violations.some((v) => v.waivedBy !== undefined);
  return {
    outcome: failing.length ? 'failed' : waived ? 'passed-with-waivers' : 'passed',
    sources: set.sources,
    digest: set.digest,
    violations,
    waivers: statuses,
    warnings,
  };
}

export function evaluateReport(set: PolicySet, report: CertificationReport, opts: EvaluateOptions = {}): PolicySection {
  return applyWaivers(set, collectViolations(set, 'ReportPolicy', { report: reportInput(report) }), opts);
}

/** One line per failing, unwaived violation: the verdict reasons a person reads first. */
export function failingReasons(section: PolicySection): string[] {
  return section.violations
    .filter((v) => v.action === 'fail' && v.waivedBy === undefined)
    .map((v) => `${v.rule} (${v.severity}): ${v.message}`);
}
