// Runs vector cases one by one and turns them into one verdict with evidence:
// counts, the first failure (file, tcId, field, byte offset, hex prefixes),
// the files that ran, and per-flag counts for Wycheproof.
import { UnsupportedCapabilityError } from '../../src/crypto/backend.ts';
import { diffBytes } from '../../src/check/bytes.ts';
import {
  fail,
  pass,
  unsupported,
  type CaseCounts,
  type Evidence,
  type Mismatch,
  type Verdict,
  type VectorFile,
} from '../../src/check/evidence.ts';

/** Where a case comes from, for naming it in a failure. */
export interface CaseRef {
  file: string;
  tcId: number;
  flags?: string[];
}

/** A case body returns nothing when it passed, or a Mismatch (see mismatch()). */
export type CaseBody = () => Mismatch | undefined;

const counts = (): CaseCounts => ({ total: 0, passed: 0, failed: 0, skipped: 0 });

/** How many failing cases the evidence lists by name (file, tcId, labels); the counts cover the rest. */
const LISTED_FAILURES = 50;

/** A failing case, by name. */
export interface FailedCase {
  file: string;
  tcId: number;
  labels?: string[];
}

export class Tally {
  readonly cases = counts();
  firstFailure?: Mismatch;
  readonly flags: Record<string, CaseCounts> = {};
  readonly failedCases: FailedCase[] = [];
  private readonly skipReasons = new Map<string, number>();
  private readonly files = new Map<string, string>();

  /**
   * @param hashes SHA-256 by file path, for the evidence's file list.
   * @param labelKey evidence key under which per-label counts go ('flags' for Wycheproof).
   */
  constructor(
    private readonly hashes: ReadonlyMap<string, string> = new Map(),
    private readonly labelKey = 'flags',
  ) {}

  /** Records that a file contributed cases, with its SHA-256. */
  useFile(path: string): void {
    if (!this.files.has(path)) this.files.set(path, this.hashes.get(path) ?? 'unknown');
  }

  run(ref: CaseRef, body: CaseBody): void {
    this.useFile(ref.file);
    let outcome: 'passed' | 'failed' | 'skipped';
    try {
      const m = body();
      if (m) {
        outcome = 'failed';
        const flags = ref.flags?.length ? ` [${this.labelKey}: ${ref.flags.join(', ')}]` : '';
        this.firstFailure ??= {
          ...m,
          file: ref.file,
          tcId: ref.tcId,
          case: `tcId ${ref.tcId}`,
          message: `${m.message ?? 'mismatch'}${flags}`,
        };
      } else outcome = 'passed';
    } catch (e) {
      // The only skip: the backend lacks a capability the case needs.
      if (e instanceof UnsupportedCapabilityError) {
        outcome = 'skipped';
        this.skipReasons.set(e.message, (this.skipReasons.get(e.message) ?? 0) + 1);
      } else {
        outcome = 'failed';
        this.firstFailure ??= {
          case: `tcId ${ref.tcId}`,
          file: ref.file,
          tcId: ref.tcId,
          message: `unexpected error: ${(e as Error).message}`,
        };
      }
    }
    this.count(this.cases, outcome);
    if (outcome === 'failed' && this.failedCases.length < LISTED_FAILURES)
      this.failedCases.push({ file: ref.file, tcId: ref.tcId, ...(ref.flags?.length ? { labels: ref.flags } : {}) });
    for (const f of ref.flags ?? []) this.count((this.flags[f] ??= counts()), outcome);
  }

  private count(c: CaseCounts, outcome: 'passed' | 'failed' | 'skipped'): void {
    c.total++;
    c[outcome]++;
  }

  evidence(extra: Evidence = {}): Evidence {
    const files: VectorFile[] = [...this.files].map(([path, sha256]) => ({ path, sha256 }));
    const ev: Evidence = { cases: { ...this.cases }, files, ...extra };
    if (this.firstFailure) ev.firstFailure = this.firstFailure;
    if (this.failedCases.length) ev.failedCases = this.failedCases.map((f) => ({ ...f }));
    if (Object.keys(this.flags).length) ev[this.labelKey] = this.flags;
    if (this.skipReasons.size) ev.skipReasons = Object.fromEntries(this.skipReasons);
    return ev;
  }

  /** fail if any case failed; skip if nothing ran; pass (saying what was skipped) otherwise. */
  verdict(what: string, extra: Evidence = {}): Verdict {
    const c = this.cases;
    const ev = this.evidence(extra);
    if (c.failed > 0) {
      const f = this.firstFailure!;
      const at = [f.file, f.case, f.field && `field ${f.field}`, f.offset !== undefined && `byte ${f.offset}`].filter(Boolean).join(', ');
      const more = c.failed > this.failedCases.length ? ', …' : '';
      const ids = `tcId${c.failed > 1 ? 's' : ''} ${this.failedCases.map((x) => x.tcId).join(', ')}${more}`;
      return fail(`${c.failed} of ${c.total} ${what} cases failed (${ids}); first: ${at}: ${f.message ?? 'mismatch'}`, ev);
    }
    const skipped = [...this.skipReasons.keys()].join('; ');
    if (c.total === 0) return fail(`no ${what} cases found in the loaded vector files`, ev);
    if (c.passed === 0) return unsupported(`all ${c.total} ${what} cases skipped: ${skipped}`, ev);
    const v = pass(ev);
    if (c.skipped > 0) v.reason = `${c.passed} of ${c.total} ${what} cases passed, ${c.skipped} skipped: ${skipped}`;
    return v;
  }
}

/** One output to compare: field name, the vector's value (undefined when the vector gives none), the backend's. */
export type OutputPair = readonly [field: string, expected: Uint8Array | undefined, actual: Uint8Array];

/**
 * The first output, in order, that differs from the vector's byte for byte
 * (diffBytes names the field, offset and hex around it); outputs the vector
 * does not give are not compared. undefined when all match.
 */
export function compareFields(...pairs: OutputPair[]): Mismatch | undefined {
  for (const [field, expected, actual] of pairs) {
    if (expected === undefined) continue;
    const m = diffBytes({ case: '', field }, expected, actual);
    if (m) return m;
  }
  return undefined;
}

/** A mismatch that is not about bytes (a verdict, an exception that should or should not happen). */
export function mismatch(field: string, message: string, expected?: string, actual?: string): Mismatch {
  return { case: '', field, message, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) };
}

/**
 * Runs op, which must be rejected (throw). Capability errors propagate (the
 * case is skipped, not counted as a rejection).
 */
export function expectRejected(field: string, what: string, op: () => unknown): Mismatch | undefined {
  try {
    op();
  } catch (e) {
    if (e instanceof UnsupportedCapabilityError) throw e;
    return undefined;
  }
  return mismatch(field, `${what} was accepted; it must be rejected`, 'rejected', 'accepted');
}

/**
 * Why a thrown value is a crash rather than a refusal, or undefined for a
 * refusal. Backends refuse bad input with an Error of their own (noble a
 * RangeError naming the parameter, pqclean a TypeError "Invalid ... size",
 * liboqs its LibOQS*Error); a crash is what the engine throws for a bug: a
 * non-Error value, a WebAssembly trap, a stack overflow, a ReferenceError or
 * SyntaxError, or a TypeError about undefined/null/non-functions.
 */
export function crashOf(e: unknown): string | undefined {
  if (!(e instanceof Error)) return `threw a non-Error value (${typeof e}: ${String(e).slice(0, 80)})`;
  const what = `${e.name}: ${e.message}`;
  if (e.name === 'RuntimeError') return `WebAssembly trap (${what})`;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return `stack overflow (${what})`;
  if (e instanceof ReferenceError || e instanceof SyntaxError) return what;
  if (e instanceof TypeError && /undefined|null|is not a function|is not iterable|Cannot (read|set) propert/i.test(e.message)) return what;
  return undefined;
}

/** Runs op, which must not throw; returns its value or a Mismatch saying it was rejected. */
export function expectAccepted<T>(field: string, what: string, op: () => T): { value: T } | { mismatch: Mismatch } {
  try {
    return { value: op() };
  } catch (e) {
    // A capability gap skips the case; a crash is not a rejection and goes up as one.
    if (e instanceof UnsupportedCapabilityError || crashOf(e) !== undefined) throw e;
    return { mismatch: mismatch(field, `${what} was rejected: ${(e as Error).message}`, 'accepted', 'rejected') };
  }
}
