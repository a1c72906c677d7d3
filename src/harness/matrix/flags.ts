// Wycheproof by flag: the Wycheproof checks count their cases per flag
// (evidence.flags, suites/kat/tally.ts); a matrix cell sums them over its
// checks, so a row says which class of input (ModulusOverflow,
// InvalidDecapsulationKey, InvalidPrivateKey, ...) a library gets wrong,
// not only that some case failed.
import type { CaseCounts, CheckResult } from '../../check/evidence.ts';

export type FlagCounts = Record<string, CaseCounts>;

const COUNT_KEYS = ['total', 'passed', 'failed', 'skipped'] as const;

function isCounts(v: unknown): v is CaseCounts {
  return typeof v === 'object' && v !== null && COUNT_KEYS.every((k) => typeof (v as Record<string, unknown>)[k] === 'number');
}

/** Per-flag case counts summed over results; undefined when no result carries any. */
export function sumFlags(results: readonly CheckResult[]): FlagCounts | undefined {
  const out: FlagCounts = {};
  for (const r of results) {
    const flags = r.evidence.flags;
    if (typeof flags !== 'object' || flags === null) continue;
    for (const [flag, c] of Object.entries(flags)) {
      if (!isCounts(c)) continue;
      const acc = (out[flag] ??= { total: 0, passed: 0, failed: 0, skipped: 0 });
      for (const k of COUNT_KEYS) acc[k] += c[k];
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/** One flag's counts as a matrix cell: FAIL f/n, pass n, unsupported (every case refused). */
export function flagCellText(c: CaseCounts | undefined): string {
  if (!c) return '';
  if (c.failed) return `FAIL ${c.failed}/${c.total}`;
  if (c.passed) return `pass ${c.passed}${c.skipped ? ` (${c.skipped} unsupported)` : ''}`;
  return 'unsupported';
}
