// Which backends sign slowly. noble's ML-DSA is pure JavaScript: an ML-DSA-65
// signature takes about 13 ms and a verification 2.7 ms on the 2-core
// development machine, where liboqs's WebAssembly takes 0.9 ms and 0.2 ms.
// Code that needs many signatures without judging them (the control plane's
// votes and gossip, a release run's full accumulated ML-DSA tests) takes
// another backend of the run when there is one.

/** Backends whose ML-DSA is too slow to sign by the thousand. */
export const SLOW_MLDSA: ReadonlySet<string> = new Set(['noble']);
