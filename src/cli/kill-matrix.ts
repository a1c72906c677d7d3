// The kill matrix of a selftest run, for a person: one row per family, one
// line per mutant aimed at it, then the kill rate and what is missing.
import type { CheckResult } from '../check/evidence.ts';

interface MutantRow {
  mutant: string;
  outcome: 'killed' | 'survived' | 'not-reached';
  by?: string;
  reason?: string;
}

export interface KillSummary {
  families: number;
  withoutMutant: string[];
  killed: number;
  survived: number;
  notReached: number;
  /** Killed over killed + survived, in percent (100 when nothing was aimed). */
  rate: number;
}

const MARK = { killed: 'killed', survived: 'SURVIVED', 'not-reached': 'release only' } as const;

export function summarizeKills(results: readonly CheckResult[]): KillSummary {
  const rows = results.filter((r) => r.id.startsWith('selftest/'));
  const all = rows.flatMap((r) => (r.evidence.mutants as MutantRow[] | undefined) ?? []);
  const killed = all.filter((m) => m.outcome === 'killed').length;
  const survived = all.filter((m) => m.outcome === 'survived').length;
  return {
    families: rows.length,
    withoutMutant: rows.filter((r) => !((r.evidence.mutants as MutantRow[] | undefined) ?? []).length).map((r) => r.id.slice(9)),
    killed,
    survived,
    notReached: all.length - killed - survived,
    rate: killed + survived ? Math.round((1000 * killed) / (killed + survived)) / 10 : 100,
  };
}

export function renderKillMatrix(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results.filter((x) => x.id.startsWith('selftest/'))) {
    const family = r.id.slice('selftest/'.length);
    const mutants = (r.evidence.mutants as MutantRow[] | undefined) ?? [];
    lines.push(
      `${r.status === 'pass' ? 'ok  ' : r.status === 'skip' ? 'skip' : 'FAIL'} ${family}${r.status === 'fail' ? `: ${r.reason}` : ''}`,
    );
    for (const m of mutants) lines.push(`       ${MARK[m.outcome].padEnd(12)} ${m.mutant}${m.by ? `  (by ${m.by})` : ''}`);
  }
  const s = summarizeKills(results);
  lines.push(
    `kill rate ${s.rate}%: ${s.killed} killed, ${s.survived} survived, ${s.notReached} need release sizes; ` +
      `${s.families} families, ${s.withoutMutant.length} without a mutant${s.withoutMutant.length ? ` (${s.withoutMutant.join(', ')})` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
