// Folds check results into matrix cells: per library and family, the worst
// status, the first failing case, severity and spec clause, and how it
// compares with the pinned findings.
import { isUnsupportedSkip, type CheckResult, type Status } from '../../check/evidence.ts';
import type { Expectation } from './expectations.ts';
import { FAMILIES, algOf, familyOf, type Family } from './families.ts';
import { sumFlags } from './flags.ts';
import type { Cell, InteropGrid, Row } from './model.ts';
import type { LoadOutcome } from './run.ts';

/** The ordered pair in a matrix/interop or matrix/rejection id: keys from A, operation by B. */
export function pairOf(id: string): { a: string; b: string } | undefined {
  const m = /^matrix\/(?:interop|rejection)\/[^/]+\/(.+)->(.+)$/.exec(id);
  return m ? { a: m[1], b: m[2] } : undefined;
}

/** Status of every ordered pair, per check kind and algorithm ("interop/ML-KEM-768"). */
type PairIndex = Map<string, Map<string, Status>>;

function indexPairs(results: readonly CheckResult[]): PairIndex {
  const idx: PairIndex = new Map();
  for (const r of results) {
    const pair = pairOf(r.id);
    if (!pair) continue;
    const kind = r.id.slice(0, r.id.lastIndexOf('/'));
    let m = idx.get(kind);
    if (!m) idx.set(kind, (m = new Map()));
    m.set(`${pair.a}->${pair.b}`, r.status);
  }
  return idx;
}

/** Both orders of x and y passed (at least one ran, none failed). */
function agree(m: Map<string, Status>, x: string, y: string): boolean {
  const s = [m.get(`${x}->${y}`), m.get(`${y}->${x}`)].filter((v) => v !== undefined);
  return s.length > 0 && s.every((v) => v === 'pass');
}

function disagree(m: Map<string, Status>, x: string, y: string): boolean {
  return m.get(`${x}->${y}`) === 'fail' || m.get(`${y}->${x}`) === 'fail';
}

/**
 * Which libraries a pair result counts for. A pair with a pre-FIPS library
 * counts only for that one (a FIPS library is not at fault for not agreeing
 * with Kyber round 3). A failing pair counts for a library unless a third
 * library agrees with it and disagrees with the other: then the other is
 * the odd one out.
 */
function belongsTo(r: CheckResult, library: string, preFips: ReadonlySet<string>, pairs: PairIndex, all: readonly string[]): boolean {
  const pair = pairOf(r.id);
  if (!pair) return r.backend === library;
  if (pair.a !== library && pair.b !== library) return false;
  const other = pair.a === library ? pair.b : pair.a;
  if (!preFips.has(library) && preFips.has(other)) return false;
  if (r.status !== 'fail') return true;
  const m = pairs.get(r.id.slice(0, r.id.lastIndexOf('/')));
  if (!m) return true;
  const cleared = all.some((z) => z !== library && z !== other && !preFips.has(z) && agree(m, library, z) && disagree(m, other, z));
  return !cleared;
}

function specFor(f: Family, alg: string | undefined): string | undefined {
  if (alg?.startsWith('ML-DSA')) return f.spec.sig ?? f.spec.kem;
  return f.spec.kem ?? f.spec.sig;
}

function fold(f: Family, results: readonly CheckResult[], naReason: string): Omit<Cell, 'expected'> {
  if (!results.length) return { status: 'n/a', checks: 0, failed: 0, reason: naReason };
  const failed = results.filter((r) => r.status === 'fail');
  const flags = sumFlags(results);
  const base = { checks: results.length, failed: failed.length, ...(flags ? { flags } : {}) };
  if (failed.length) {
    const first = failed[0];
    const ff = first.evidence.firstFailure;
    const alg = algOf(first.id);
    return {
      ...base,
      status: 'fail',
      severity: f.severity,
      ...(specFor(f, alg) ? { spec: specFor(f, alg) } : {}),
      firstFailure: {
        check: first.id,
        ...(alg ? { alg } : {}),
        ...(ff?.case ? { case: ff.case } : {}),
        ...(ff?.file ? { file: ff.file } : {}),
        ...(ff?.tcId !== undefined ? { tcId: ff.tcId } : {}),
        message: first.reason ?? ff?.message ?? 'failed',
      },
    };
  }
  if (results.some((r) => r.status === 'pass')) return { ...base, status: 'pass' };
  const unsupported = results.find(isUnsupportedSkip);
  if (unsupported) return { ...base, status: 'unsupported', reason: unsupported.reason };
  return { ...base, status: 'skip', reason: results[0].reason };
}

function naReasonFor(o: LoadOutcome, f: Family): string {
  if ('unavailable' in o) return o.unavailable;
  if (!o.loaded.backend && f.id !== 'interop' && f.id !== 'xwing') return o.entry.asyncNote ?? 'not a CryptoBackend';
  return 'no algorithm of this family';
}

function compare(cell: Omit<Cell, 'expected'>, pin: Expectation | undefined): Cell {
  if (cell.status === 'fail') return pin ? { ...cell, expected: 'xfail', finding: pin.finding } : { ...cell, expected: 'unexpected-fail' };
  if (pin && cell.status === 'pass') return { ...cell, expected: 'xpass', finding: pin.finding };
  return { ...cell, expected: 'as-expected' };
}

export function buildRows(
  outcomes: readonly LoadOutcome[],
  results: readonly CheckResult[],
  expectations: readonly Expectation[],
): { rows: Row[]; reasons: string[] } {
  const reasons: string[] = [];
  const preFips = new Set(outcomes.filter((o) => o.entry.preFips).map((o) => o.entry.name));
  const pairs = indexPairs(results);
  const names = outcomes.map((o) => o.entry.name);
  const rows = outcomes.map((o): Row => {
    const name = o.entry.name;
    const mine = results.filter((r) => belongsTo(r, name, preFips, pairs, names));
    const cells: Record<string, Cell> = {};
    for (const f of FAMILIES) {
      const inCell = mine.filter((r) => familyOf(r.id) === f);
      const ran = inCell.flatMap((r) => (r.evidence.files ?? []).map((v) => v.path));
      const pin = expectations.find(
        (e) =>
          e.library === name && e.families.includes(f.id) && (!e.requiresFile || ran.some((p) => p.includes(e.requiresFile as string))),
      );
      const cell = compare(fold(f, inCell, naReasonFor(o, f)), pin);
      cells[f.id] = cell;
      if (cell.expected === 'unexpected-fail') reasons.push(`${name} ${f.id}: unexpected failure: ${cell.firstFailure?.message}`);
      if (cell.expected === 'xpass')
        reasons.push(`${name} ${f.id}: XPASS: finding ${cell.finding} no longer reproduces (update docs/findings.md and the pin)`);
    }
    const loaded = 'loaded' in o ? o.loaded : undefined;
    const note = 'unavailable' in o ? o.unavailable : (o.entry.preFips ?? (loaded?.backend ? undefined : o.entry.asyncNote));
    return {
      library: name,
      source: o.entry.source,
      version: loaded ? loaded.library.version : o.entry.source,
      kind: 'unavailable' in o ? 'unavailable' : loaded?.backend ? 'backend' : 'async',
      ...(note ? { note } : {}),
      preFips: o.entry.preFips !== undefined,
      cells,
    };
  });
  return { rows, reasons };
}

export function interopGrids(results: readonly CheckResult[]): InteropGrid[] {
  const byAlg = new Map<string, InteropGrid>();
  for (const r of results) {
    if (!r.id.startsWith('matrix/interop/')) continue;
    const pair = pairOf(r.id);
    const alg = algOf(r.id);
    if (!pair || !alg) continue;
    let g = byAlg.get(alg);
    if (!g) {
      g = { alg, libraries: [], pairs: {} };
      byAlg.set(alg, g);
    }
    for (const l of [pair.a, pair.b]) if (!g.libraries.includes(l)) g.libraries.push(l);
    g.pairs[pair.a] ??= {};
    (g.pairs[pair.a] as Record<string, Status>)[pair.b] = r.status;
  }
  return [...byAlg.values()].sort((x, y) => x.alg.localeCompare(y.alg));
}
