// What a vector lint says about one file: the rules it applied and the
// defects it found, each naming the file, the rule and the cases.

/** The lint rules; each is a way a vector file can let a broken backend pass. */
export type LintRule =
  /** The file does not match its format's schema (Wycheproof) or header (ACVP). */
  | 'schema'
  /** Fewer cases than the pinned upstream file, per parameter set and function and per result kind. */
  | 'counts'
  /** A key-check case without the key it is about (ACVP-Server #459). */
  | 'key-present'
  /** A negative ML-KEM key that does not exercise the check it is for (ACVP-Server #460). */
  | 'negative-key'
  /** A positive ML-KEM key that fails the FIPS 203 input checks: the expected answer is wrong. */
  | 'positive-key'
  /** Nothing to tell a correct backend from a broken one: no positive or no negative cases. */
  | 'discriminates';

export interface LintDefect {
  rule: LintRule;
  message: string;
  /** The cases concerned (first few), when the defect is about cases. */
  tcIds?: number[];
  /** How many cases have this defect. */
  caseCount?: number;
}

export interface FileLint {
  /** The file the findings are filed under (ACVP: expectedResults.json or the merged file). */
  path: string;
  /** Every file read for this lint (ACVP: prompt + expectedResults). */
  files: string[];
  format: 'acvp' | 'wycheproof';
  cases: number;
  rules: LintRule[];
  defects: LintDefect[];
}

const SHOWN_TCIDS = 5;

/** Collects defects, merging the same rule + message over many cases into one line. */
export class DefectList {
  private readonly byKey = new Map<string, LintDefect>();

  add(rule: LintRule, message: string, tcId?: number): void {
    const key = `${rule}\u0000${message}`;
    let d = this.byKey.get(key);
    if (!d) {
      d = { rule, message, ...(tcId !== undefined ? { tcIds: [], caseCount: 0 } : {}) };
      this.byKey.set(key, d);
    }
    if (tcId !== undefined && d.tcIds) {
      d.caseCount = (d.caseCount ?? 0) + 1;
      if (d.tcIds.length < SHOWN_TCIDS) d.tcIds.push(tcId);
    }
  }

  list(): LintDefect[] {
    return [...this.byKey.values()];
  }
}

/** One line per defect: "rule: message (tcId 3, 5, ... : 12 cases)". */
export function describeDefect(d: LintDefect): string {
  if (!d.tcIds?.length) return `${d.rule}: ${d.message}`;
  const more = (d.caseCount ?? 0) > d.tcIds.length ? `, … ${d.caseCount} cases` : '';
  const n = d.caseCount === 1 ? 'tcId' : 'tcIds';
  return `${d.rule}: ${d.message} (${n} ${d.tcIds.join(', ')}${more})`;
}
