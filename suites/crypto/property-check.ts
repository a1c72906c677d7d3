// How much each property check runs, and what it is compared against.
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import type { Independent } from '../../src/crypto/independent.ts';
import { skip, unsupported, type Check, type Profile, type Verdict } from '../../src/check/evidence.ts';
import type * as fc from 'fast-check';
import { checkProperty, deriveSeed } from '../../src/check/property.ts';

/** What a backend is compared with; never the backend itself. */
export interface Comparison {
  /** The independent implementation deterministic outputs must equal byte for byte, or why there is none. */
  independent: Independent;
  /** Implementations it must interoperate with: the independent one and every other selected backend. */
  peers: readonly CryptoBackend[];
}

export interface PropertyCheckSpec {
  /** The backend under test. */
  backend: CryptoBackend;
  /** Resolved when a check first needs it, so loading the independent implementation costs only checks that use it. */
  comparison: () => Promise<Comparison>;
}

/** Names an implementation in evidence: "liboqs (@oqs/liboqs-js 0.15.1)". */
export const describeImpl = (b: CryptoBackend) => `${b.name} (${b.version})`;

/**
 * The independent implementation when it can be used for `alg`, else the skip
 * that says why: a comparison that cannot be made is never a pass.
 */
export async function independentFor(
  spec: PropertyCheckSpec,
  alg: string,
  offers: (b: CryptoBackend) => boolean,
): Promise<{ ref: CryptoBackend } | { skipped: Verdict }> {
  const { independent } = await spec.comparison();
  if ('reason' in independent) return { skipped: skip(`nothing independent to compare ${spec.backend.name} with: ${independent.reason}`) };
  const ref = independent.backend;
  if (!ref.deterministic)
    return { skipped: skip(`the independent implementation ${ref.name} is not deterministic, so it cannot replay seeds`) };
  if (!offers(ref)) return { skipped: skip(`the independent implementation ${ref.name} lacks ${alg}`) };
  return { ref };
}

/** Interop partners for `alg`, or the skip saying there are none. */
export async function peersFor(
  spec: PropertyCheckSpec,
  alg: string,
  offers: (b: CryptoBackend) => boolean,
): Promise<{ peers: CryptoBackend[] } | { skipped: Verdict }> {
  const { independent, peers } = await spec.comparison();
  const usable = peers.filter(offers);
  if (usable.length) return { peers: usable };
  const why = 'reason' in independent ? independent.reason : `no other implementation offers ${alg}`;
  return { skipped: skip(`no implementation other than ${spec.backend.name} to interoperate with: ${why}`) };
}

/**
 * The body of a determinism check: the backend must take seeds (else the
 * `unsupported` skip naming `inputs`, what it cannot be given), and for every
 * generated input `agrees` must hold against the independent implementation
 * (else the skip from independentFor). The evidence names that implementation.
 */
export async function checkDeterminism<Ts extends [unknown, ...unknown[]]>(
  spec: PropertyCheckSpec,
  alg: string,
  offers: (b: CryptoBackend) => boolean,
  run: { seed: number; runs: number; inputs: string },
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  agrees: (ref: CryptoBackend, ...input: Ts) => true | string,
): Promise<Verdict> {
  const b = spec.backend;
  if (!b.deterministic) return unsupported(`backend ${b.name} declares deterministic: false (it cannot take ${run.inputs})`);
  const found = await independentFor(spec, alg, offers);
  if ('skipped' in found) return found.skipped;
  const { ref } = found;
  return checkProperty(run.seed, run.runs, arbitraries, (...input: Ts) => agrees(ref, ...input), {
    evidence: { comparedWith: describeImpl(ref) },
  });
}

/**
 * The body of an interop check: for every generated input, `agrees` must hold
 * with every peer that offers `alg` (the first disagreement fails the check);
 * with no peer it is the skip that says why. The evidence names the peers.
 */
export async function checkInterop<Ts extends [unknown, ...unknown[]]>(
  spec: PropertyCheckSpec,
  alg: string,
  offers: (b: CryptoBackend) => boolean,
  run: { seed: number; runs: number },
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  agrees: (peer: CryptoBackend, ...input: Ts) => true | string,
): Promise<Verdict> {
  const found = await peersFor(spec, alg, offers);
  if ('skipped' in found) return found.skipped;
  const { peers } = found;
  return checkProperty(
    run.seed,
    run.runs,
    arbitraries,
    (...input: Ts) => {
      for (const p of peers) {
        const r = agrees(p, ...input);
        if (r !== true) return r;
      }
      return true;
    },
    { evidence: { peers: peers.map(describeImpl) } },
  );
}

/** fast-check runs per property: signatures cost more than KEM operations. */
const RUNS: Record<Profile, Record<'kem' | 'sig', number>> = {
  pr: { kem: 12, sig: 4 },
  release: { kem: 200, sig: 50 },
};

export function runsFor(profile: Profile, family: 'kem' | 'sig'): number {
  return RUNS[profile][family];
}

/**
 * A property check with id crypto/<kind>/<alg>: its seed derives from the
 * run seed and its id and backend, its run count from the profile.
 */
export function propertyCheck(
  backendName: string,
  family: 'kem' | 'sig',
  alg: string,
  kind: string,
  title: string,
  run: (seed: number, runs: number) => Verdict | Promise<Verdict>,
): Check {
  const id = `crypto/${kind}/${alg}`;
  return {
    id,
    title,
    backend: backendName,
    run: (ctx) => run(deriveSeed(ctx.seed, `${id}@${backendName}`), runsFor(ctx.profile, family)),
  };
}
