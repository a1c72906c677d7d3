// The expected-results baseline (as TLS-Anvil's expected results and
// tlsfuzzer's expected failures work): a file listing the known, accepted
// failures of one mesh, each with a reason. Against it, a run fails on any
// deviation: a failure not listed, and a listed failure that now passes
// (XPASS), so a baseline cannot rot. A listed check that did not run (--only)
// or skipped is not judged. The reference mesh's baseline is empty.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CheckResult } from '../check/evidence.ts';
import { ConfigError } from '../errors.ts';

const ExpectedFailure = z.strictObject({
  /** Check id, with ` [backend]` when the check is per backend. */
  check: z.string().min(1),
  reason: z.string().min(1, 'say why this failure is accepted'),
});

const BaselineFile = z.strictObject({
  /** The mesh this baseline describes, e.g. `reference`. */
  mesh: z.string().min(1),
  expectedFailures: z.array(ExpectedFailure),
});

export type Baseline = z.infer<typeof BaselineFile>;

/** Reads and validates a baseline; every problem names the file and the field. */
export function loadBaseline(file: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: cannot read the expected-results baseline: ${(e as Error).message}`);
  }
  const parsed = BaselineFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const [i, f] of parsed.data.expectedFailures.entries()) {
    if (seen.has(f.check)) throw new ConfigError(`${file}: expectedFailures.${i}.check: ${f.check} is listed twice`);
    seen.add(f.check);
  }
  return parsed.data;
}

export const resultKey = (r: Pick<CheckResult, 'id' | 'backend'>): string => (r.backend ? `${r.id} [${r.backend}]` : r.id);

export interface BaselineComparison {
  /** Failures the baseline lists: they do not fail the run. */
  accepted: string[];
  /** Failures it does not list. */
  unexpected: string[];
  /** Listed failures that passed. */
  xpass: string[];
  /** One line per deviation, `+` unexpected failure, `-` XPASS: the diff to show. */
  diff: string[];
}

export function compareWithBaseline(results: readonly CheckResult[], baseline: Baseline): BaselineComparison {
  const listed = new Map(baseline.expectedFailures.map((f) => [f.check, f.reason]));
  const accepted: string[] = [];
  const unexpected: string[] = [];
  const xpass: string[] = [];
  for (const r of results) {
    const key = resultKey(r);
    if (r.status === 'fail') (listed.has(key) ? accepted : unexpected).push(key);
    else if (r.status === 'pass' && listed.has(key)) xpass.push(key);
  }
  const failed = new Map(results.filter((r) => r.status === 'fail').map((r) => [resultKey(r), r.reason ?? '']));
  const diff = [
    ...unexpected.map((k) => `+ ${k}: failed, not in the baseline (${failed.get(k)})`),
    ...xpass.map((k) => `- ${k}: XPASS, listed as expected to fail (${listed.get(k)}) but passed: remove it from the baseline`),
  ];
  return { accepted, unexpected, xpass, diff };
}

/** The results the gate judges: accepted failures are taken out, everything else stays. */
export function withoutAccepted(results: readonly CheckResult[], c: BaselineComparison): CheckResult[] {
  const accepted = new Set(c.accepted);
  return results.filter((r) => !accepted.has(resultKey(r)));
}
