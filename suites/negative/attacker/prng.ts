// A small seeded generator (mulberry32) so every attacker decision and every
// sampled position can be replayed from the seed the report names.
export interface Prng {
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** k distinct integers of [0, n), in increasing order (all of them when k >= n). */
  sample(n: number, k: number): number[];
}

export function prng(seed: number): Prng {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    int,
    sample(n, k) {
      if (k >= n) return Array.from({ length: n }, (_, i) => i);
      const picked = new Set<number>();
      while (picked.size < k) picked.add(int(n));
      return [...picked].sort((a, b) => a - b);
    },
  };
}
