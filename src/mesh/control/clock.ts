// Time for the control plane comes through this interface only, so every
// state machine here can be driven by a simulated clock in checks and
// benchmarks and by the wall clock in the node.
export interface Clock {
  /** Milliseconds since the Unix epoch (or since the start of a simulation). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told: the simulations and tests use it. */
export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`cannot move a clock by ${ms} ms`);
    this.t += ms;
    return this.t;
  }
}
