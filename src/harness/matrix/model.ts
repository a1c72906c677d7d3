// What the ecosystem matrix reports: rows = libraries with versions,
// columns = families, cells = pass / fail (first failing case, severity,
// spec clause) / unsupported / skip / n/a, and the pairwise interop grids.
import type { CaseCounts, Profile, Status } from '../../check/evidence.ts';
import type { Severity } from './families.ts';

export type CellStatus = 'pass' | 'fail' | 'unsupported' | 'skip' | 'n/a';

/** How a cell compares with the pinned findings (expectations.ts). */
export type Expected = 'as-expected' | 'xfail' | 'xpass' | 'unexpected-fail';

export interface CellFailure {
  check: string;
  alg?: string;
  case?: string;
  file?: string;
  tcId?: number;
  message: string;
}

export interface Cell {
  status: CellStatus;
  /** Checks behind the cell, and how many failed. */
  checks: number;
  failed: number;
  reason?: string;
  firstFailure?: CellFailure;
  severity?: Severity;
  spec?: string;
  expected: Expected;
  /** Finding id in docs/findings.md when the failure is a pinned finding. */
  finding?: string;
  /** Wycheproof families: case counts per Wycheproof flag, summed over the cell's checks (flags.ts). */
  flags?: Record<string, CaseCounts>;
}

export interface Row {
  library: string;
  source: string;
  version: string;
  kind: 'backend' | 'async' | 'unavailable';
  /** One line: why FIPS vectors fail (pre-FIPS), why families are n/a (async API), or why the library is unavailable. */
  note?: string;
  preFips: boolean;
  cells: Record<string, Cell>;
}

export interface InteropGrid {
  alg: string;
  libraries: string[];
  /** keysFrom -> operationBy -> status of that ordered pair. */
  pairs: Record<string, Record<string, Status>>;
}

export interface MatrixReport {
  schemaVersion: 1;
  tool: string;
  startedAt: string;
  durationMs: number;
  seed: number;
  profile: Profile;
  vectorsDir: string;
  node: string;
  families: { id: string; title: string; severity: Severity }[];
  rows: Row[];
  interop: InteropGrid[];
  /** pass when every cell is as pinned: no unexpected failure, no expected failure that now passes. */
  verdict: 'pass' | 'fail';
  verdictReasons: string[];
  checks: { id: string; backend?: string; status: Status; reason?: string; durationMs: number }[];
}
