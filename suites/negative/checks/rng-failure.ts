// A failing randomness source (docs/mesh.md §3.7), as mlkem-native's
// test_rng_fail does it: one clean handshake lists every draw each side makes
// (side, call index, purpose, length); then, for each draw of the step under
// test in turn, that side's source throws or returns short at exactly that
// call. The side must end with `rng_failure` (never `internal`, never a
// session), and its ALERT must tell the other side. pr runs a seeded sample
// of the draws, release every one.
import { pass, skip, type Verdict } from '../../../src/check/evidence.ts';
import { deriveSeed } from '../../../src/check/property.ts';
import type { CipherSuiteName } from '../../../src/mesh/protocol/ciphersuites.ts';
import { systemRandom, type RandomPurpose, type RandomSource } from '../../../src/mesh/protocol/randomness.ts';
import { Attacker } from '../attacker/attacker.ts';
import { prng, type Prng } from '../attacker/prng.ts';
import { detectedBy, judge, type NegativeCheck } from '../clause.ts';
import { attackedHandshake, type HandshakeSetup, type SideOptions, type Subject } from '../scenario.ts';

type Side = 'initiator' | 'responder';

/** One call a side makes to its randomness source. */
export interface Draw {
  side: Side;
  /** 0-based index of the call on that side's source. */
  index: number;
  purpose: RandomPurpose;
  length: number;
}

/** The fault: at call `index` of `side`, throw, or return `short` bytes (fewer than asked). */
export interface RngFault {
  side: Side;
  index: number;
  mode: 'throw' | { short: number };
}

const injected = (d: Draw) => `injected: entropy source unavailable at call ${d.index} (${d.purpose})`;

/** A source that records every call and fails the one the fault names. */
function faultySource(side: Side, fault: RngFault | undefined, calls: Draw[]): RandomSource {
  let index = 0;
  return (length, purpose) => {
    const draw = { side, index: index++, purpose, length };
    calls.push(draw);
    if (!fault || fault.side !== side || fault.index !== draw.index) return systemRandom(length, purpose);
    if (fault.mode === 'throw') throw new Error(injected(draw));
    return systemRandom(Math.min(fault.mode.short, length - 1), purpose);
  };
}

/** The classical suite is only accepted during fallback: both sides allow it here. */
function suiteOptions(suite: CipherSuiteName): SideOptions {
  return { offer: [suite], accepts: (s) => s.name === suite };
}

async function handshakeWith(s: Subject, suite: CipherSuiteName, fault: RngFault | undefined) {
  const calls: Draw[] = [];
  const setup: HandshakeSetup = {
    attacker: new Attacker(),
    initiator: { ...suiteOptions(suite), random: faultySource('initiator', fault, calls) },
    responder: { ...suiteOptions(suite), random: faultySource('responder', fault, calls) },
  };
  return { run: await attackedHandshake(s, setup), calls };
}

/** Every draw of one clean handshake of `suite`, in the order they happened. */
export async function drawsOf(s: Subject, suite: CipherSuiteName): Promise<Draw[]> {
  const { run, calls } = await handshakeWith(s, suite, undefined);
  if (run.initiator !== 'ok' || run.responder !== 'ok')
    throw new Error(`clean ${suite} handshake failed: initiator ${run.initiator}, responder ${run.responder}`);
  return calls;
}

type Step = RandomPurpose | 'handshake';
type Mode = 'throw' | 'short';

const STEPS: Record<Step, { purposes: readonly RandomPurpose[]; title: string }> = {
  keygen: { purposes: ['keygen'], title: 'the ephemeral key generation' },
  encaps: { purposes: ['encaps'], title: 'the encapsulation' },
  signing: { purposes: ['signing'], title: 'each transcript signature' },
  nonce: { purposes: ['nonce'], title: 'each handshake nonce' },
  handshake: { purposes: ['keygen', 'encaps', 'signing', 'nonce'], title: 'every call of a full handshake' },
};

/** pr: this many draws of the step, seeded; release: all of them. */
const DRAW_SAMPLE = { pr: 2, release: Number.POSITIVE_INFINITY } as const;

/** Short lengths tried per draw: pr one seeded length below the request; release the edges and the middle. */
function shortLengths(length: number, profile: 'pr' | 'release', rng: Prng): number[] {
  if (profile === 'pr') return [rng.int(length)];
  return [...new Set([0, 1, length >> 1, length - 1])].filter((n) => n < length);
}

function faultsFor(draws: Draw[], mode: Mode, profile: 'pr' | 'release', rng: Prng): RngFault[] {
  const picked = rng.sample(draws.length, DRAW_SAMPLE[profile]).map((i) => draws[i]);
  return picked.flatMap((d): RngFault[] =>
    mode === 'throw'
      ? [{ side: d.side, index: d.index, mode: 'throw' as const }]
      : shortLengths(d.length, profile, rng).map((short) => ({ side: d.side, index: d.index, mode: { short } })),
  );
}

const describe = (f: RngFault, d: Draw) =>
  `${f.side} source ${f.mode === 'throw' ? 'throws' : `returns ${f.mode.short} of ${d.length} bytes`} at call ${f.index} (${d.purpose})`;

/**
 * The three suites and the steps that draw in each: Ed25519 signs
 * deterministically, so the classical suite has no signing draw.
 */
const SUITE_STEPS: ReadonlyArray<[CipherSuiteName, string, readonly Step[]]> = [
  ['XWING-MLDSA65', 'xwing', ['keygen', 'encaps', 'signing', 'nonce', 'handshake']],
  ['MLKEM1024-MLDSA87', 'mlkem1024', ['keygen', 'encaps', 'signing', 'handshake']],
  ['X25519-ED25519', 'x25519', ['keygen', 'encaps', 'handshake']],
];

function rngCheck(suite: CipherSuiteName, short: string, step: Step, mode: Mode): NegativeCheck {
  const id = `rng-failure/${step}/${short}/${mode}`;
  const clause = mode === 'throw' ? '3.7.1' : '3.7.2';
  const how = mode === 'throw' ? 'throws' : 'returns short';
  return {
    id,
    clause,
    title: `${suite}: a randomness source that ${how} at ${STEPS[step].title} (pr: a seeded sample of call indices; release: every one) ends the handshake with rng_failure on both sides`,
    run: async (s, ctx): Promise<Verdict> => {
      const seed = deriveSeed(ctx.seed, `negative/${id}`);
      const all = await drawsOf(s, suite);
      const draws = all.filter((d) => STEPS[step].purposes.includes(d.purpose));
      // A backend that cannot take caller randomness draws its own: nothing of this step reaches the source.
      if (draws.length === 0) return skip(`${s.backend.name} makes no ${step} draw from the node's source`, { suite });
      const faults = faultsFor(draws, mode, ctx.profile, prng(seed));
      for (const fault of faults) {
        const { run } = await handshakeWith(s, suite, fault);
        const target = all.find((d) => d.side === fault.side && d.index === fault.index)!;
        const v = judge(run, detectedBy('rng_failure'), describe(fault, target));
        if (v.status !== 'pass') return { ...v, evidence: { ...v.evidence, seed, fault, tried: faults.length } };
      }
      return pass({ suite, seed, draws, tried: faults.length });
    },
  };
}

export const rngFailureChecks: NegativeCheck[] = SUITE_STEPS.flatMap(([suite, short, steps]) =>
  steps.flatMap((step) => (['throw', 'short'] as const).map((mode) => rngCheck(suite, short, step, mode))),
);
