// Runs a fast-check property as a check and turns the outcome into a verdict
// with replayable evidence (seed, path, shrunk counterexample).
import fc from 'fast-check';
import { UnsupportedCapabilityError } from './unsupported.ts';
import { fail, pass, unsupported as unsupportedVerdict, type Evidence, type Verdict } from './evidence.ts';

/** A check's own seed: the run seed mixed with its id, so reordering checks changes nothing. */
export function deriveSeed(runSeed: number, id: string): number {
  let h = (runSeed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h | 0;
}

function describe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
}

export interface PropertyOptions {
  /** Extra evidence to report with the verdict. */
  evidence?: Evidence;
  /**
   * The optional capability this check exercises (e.g. "ML-DSA context
   * strings"). Only then may the backend answer UnsupportedCapabilityError,
   * and the check becomes an `unsupported` skip. Anywhere else the operation
   * is mandatory and refusing it is a failure: a backend must not be able to
   * skip its way through a round trip.
   */
  optional?: string;
}

/**
 * Checks a property. A property returns true, or a string saying what went
 * wrong (which becomes the failure message); throwing fails too. The first
 * failing or unsupported run ends the check, so a failure seen before a
 * refusal is never hidden by it.
 */
export function checkProperty<Ts extends [unknown, ...unknown[]]>(
  seed: number,
  numRuns: number,
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  predicate: (...args: Ts) => true | string,
  opts: PropertyOptions = {},
): Verdict {
  let unsupported: UnsupportedCapabilityError | undefined;
  let message = '';
  const property = fc.property(...arbitraries, (...args: Ts) => {
    try {
      const r = predicate(...args);
      if (r === true) return true;
      message = r;
      return false;
    } catch (e) {
      if (e instanceof UnsupportedCapabilityError && opts.optional !== undefined) unsupported = e;
      else if (e instanceof UnsupportedCapabilityError) message = `backend refused a mandatory operation: ${e.message}`;
      else message = `threw: ${(e as Error).message}`;
      return false;
    }
  });
  const details = fc.check(property, { seed, numRuns, endOnFailure: true });
  const evidence: Evidence = { seed, runs: details.numRuns, ...opts.evidence };
  if (!details.failed) return pass(evidence);
  if (unsupported) return unsupportedVerdict(`${opts.optional}: ${unsupported.message}`, evidence);
  return fail(message || 'property failed', {
    ...evidence,
    firstFailure: {
      case: `fast-check run ${details.numRuns}, seed ${seed}, path ${details.counterexamplePath}`,
      message,
    },
    counterexample: describe(details.counterexample),
    replay: { seed, path: details.counterexamplePath },
  });
}
