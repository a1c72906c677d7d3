// ops/s per backend for ML-KEM-768 and ML-DSA-65 (tinybench; medians).
// Run: npm run bench:crypto
import { Bench } from 'tinybench';
import type { CryptoBackend } from '../src/crypto/backend.ts';
import { loadBackends } from '../src/harness/plan.ts';

const specs = process.argv.slice(2).length ? process.argv.slice(2) : ['noble', 'liboqs', 'pqclean'];
const backends: CryptoBackend[] = await loadBackends(specs);
const bench = new Bench({ time: 600, warmupTime: 150 });
const msg = new Uint8Array(64).fill(1);

for (const b of backends) {
  const kem = b.kem('ML-KEM-768');
  const sig = b.sig('ML-DSA-65');
  const { ek, dk } = kem.keygen();
  const { ct } = kem.encaps(ek);
  const { pk, sk } = sig.keygen();
  const s = sig.sign(sk, msg);
  bench
    .add(`${b.name} ML-KEM-768 keygen`, () => void kem.keygen())
    .add(`${b.name} ML-KEM-768 encaps`, () => void kem.encaps(ek))
    .add(`${b.name} ML-KEM-768 decaps`, () => void kem.decaps(dk, ct))
    .add(`${b.name} ML-DSA-65 keygen`, () => void sig.keygen())
    .add(`${b.name} ML-DSA-65 sign`, () => void sig.sign(sk, msg))
    .add(`${b.name} ML-DSA-65 verify`, () => void sig.verify(pk, msg, s));
}

await bench.run();

const rows = bench.tasks.map((t) => {
  const r = t.result as { latency?: { p50?: number }; throughput?: { p50?: number } } | undefined;
  const medianMs = r?.latency?.p50 ?? NaN;
  return { task: t.name, 'median ms': medianMs.toFixed(3), 'ops/s (median)': Math.round(1000 / medianMs) };
});
console.table(rows);

// Ratio of each backend to the first one, per operation.
const base = backends[0].name;
const ops = ['ML-KEM-768 keygen', 'ML-KEM-768 encaps', 'ML-KEM-768 decaps', 'ML-DSA-65 keygen', 'ML-DSA-65 sign', 'ML-DSA-65 verify'];
const median = (name: string) => Number(rows.find((r) => r.task === name)?.['median ms']);
console.table(
  ops.map((op) => ({
    op,
    ...Object.fromEntries(
      backends.map((b) => [`${b.name} / ${base}`, (median(`${base} ${op}`) / median(`${b.name} ${op}`)).toFixed(2) + '×']),
    ),
  })),
);
