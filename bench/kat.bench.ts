// Known-answer suite cost: wall time of the whole pr-size set per backend
// (sequential, as `pqc-harness kat` runs it, and sharded one process per
// backend over the machine's cores), vectors/s per backend and check family,
// plus tinybench medians of the pieces every run pays for.
// Run: npm run bench:kat [-- backend...]   (default: noble liboqs)
// Vectors: PQC_VECTORS_DIR or ../shared/vectors.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import type { CheckContext, Profile } from '../src/check/evidence.ts';
import { buildKatChecks } from '../suites/kat/index.ts';
import { CtrDrbg, nistEntropyInput } from '../vectors/drbg.ts';
import { loadVectorDir } from '../vectors/discover.ts';

process.env.PQC_LOG_LEVEL ??= 'warn';
// Imported after the log level is set: the logger reads it once.
const { loadBackend } = await import('../src/crypto/select.ts');

const here = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
/** Child mode: --shard <comma-separated check indices> backend... */
const shard = args[0] === '--shard' ? new Set(args[1].split(',').filter(Boolean).map(Number)) : undefined;
const specs = (shard ? args.slice(2) : args).filter((a) => !a.startsWith('-'));
const backendsWanted = specs.length ? specs : ['noble', 'liboqs'];
const vectorsDir = process.env.PQC_VECTORS_DIR ?? fileURLToPath(new URL('../../shared/vectors', import.meta.url));
const profile: Profile = (process.env.PQC_PROFILE as Profile) ?? 'pr';

/** Family of a check id: kat/acvp/ML-DSA-65/sigGen -> acvp ML-DSA sigGen. */
function family(id: string): string {
  const [, fam, alg, fn] = id.split('/');
  if (fam === 'acvp' || fam === 'wycheproof') return `${fam} ${alg.slice(0, 6)} ${fn}`;
  if (fam === 'drbg' || fam === 'accumulated') return `${fam} ${alg.slice(0, 6)}`;
  return fam;
}

interface Row {
  backend: string;
  family: string;
  ms: number;
  vectors: number;
  statuses: Record<string, number>;
}

/** Runs every kat check for the given backends once; returns per-(backend, family) rows and the wall time. */
async function runSet(names: string[], only?: Set<number>): Promise<{ rows: Row[]; wallMs: number; loadMs: number; checkMs: number[] }> {
  const t0 = performance.now();
  const vectors = await loadVectorDir(vectorsDir);
  const backends = [];
  for (const n of names) backends.push(await loadBackend(n));
  const checks = buildKatChecks(backends, vectors);
  const loadMs = performance.now() - t0;
  const ctx: CheckContext = { seed: 1, profile, vectorsDir };
  const rows = new Map<string, Row>();
  const checkMs: number[] = [];
  for (const [i, c] of checks.entries()) {
    if (only && !only.has(i)) continue;
    const t = performance.now();
    const v = await c.run(ctx);
    const ms = performance.now() - t;
    checkMs[i] = ms;
    const key = `${c.backend ?? '-'}|${family(c.id)}`;
    const row = rows.get(key) ?? { backend: c.backend ?? '-', family: family(c.id), ms: 0, vectors: 0, statuses: {} };
    row.ms += ms;
    // Vectors actually run (skipped cases excluded); regenerated sets count records/iterations.
    const cases = v.evidence.cases;
    const ran = cases ? cases.passed + cases.failed : 0;
    const n =
      typeof v.evidence.iterations === 'number' ? v.evidence.iterations : typeof v.evidence.records === 'number' ? v.evidence.records : ran;
    row.vectors += v.status === 'skip' ? 0 : n;
    row.statuses[v.status] = (row.statuses[v.status] ?? 0) + 1;
    rows.set(key, row);
  }
  return { rows: [...rows.values()], wallMs: performance.now() - t0, loadMs, checkMs };
}

/** Longest-processing-time-first: each check (heaviest first) goes to the least loaded shard. */
function balance(checkMs: number[], shards: number): number[][] {
  const load = new Array(shards).fill(0);
  const out: number[][] = Array.from({ length: shards }, () => []);
  const order = checkMs.map((ms, i) => [ms ?? 0, i] as const).sort((a, b) => b[0] - a[0]);
  for (const [ms, i] of order) {
    const k = load.indexOf(Math.min(...load));
    load[k] += ms;
    out[k].push(i);
  }
  return out;
}

function runShard(name: string, indices: number[]): Promise<{ name: string; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', here, '--shard', indices.join(','), ...backendsWanted], {
      env: { ...process.env, PQC_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve({ name, wallMs: performance.now() - t0 }) : reject(new Error(`shard ${name} exited ${code}`)),
    );
  });
}

if (!existsSync(vectorsDir)) {
  console.error(`no vectors at ${vectorsDir}; set PQC_VECTORS_DIR or run \`pqc-harness vectors fetch --dir ${vectorsDir}\``);
  process.exit(2);
}

if (shard) {
  await runSet(backendsWanted, shard);
  process.exit(0);
}

// 1. The whole pr-size set, sequential, in this process.
const { rows, wallMs, loadMs, checkMs } = await runSet(backendsWanted);
const s = (ms: number) => (ms / 1000).toFixed(2);
console.log(`\nkat ${profile}-size set, vectors ${vectorsDir}`);
console.table(
  rows.map((r) => ({
    backend: r.backend,
    family: r.family,
    seconds: s(r.ms),
    vectors: r.vectors,
    'vectors/s': r.ms > 0 ? Math.round((r.vectors / r.ms) * 1000) : '-',
    checks: Object.entries(r.statuses)
      .map(([k, n]) => `${n} ${k}`)
      .join(', '),
  })),
);
const perBackend = new Map<string, number>();
for (const r of rows) perBackend.set(r.backend, (perBackend.get(r.backend) ?? 0) + r.ms);
perBackend.delete('-');
for (const [b, ms] of perBackend) {
  const n = rows.filter((r) => r.backend === b).reduce((a, r) => a + r.vectors, 0);
  console.log(`  ${b.padEnd(8)} ${s(ms)} s  (${n} vectors, ${Math.round((n / ms) * 1000)} vectors/s)`);
}
console.log(`  load + index vectors ${s(loadMs)} s; sequential wall time ${s(wallMs)} s for ${backendsWanted.join(' + ')}`);

// 2. The same checks over two processes (this machine's two cores), balanced by the cost just measured.
const t0 = performance.now();
const plan = balance(checkMs, 2);
const shards = await Promise.all(plan.map((indices, k) => runShard(`shard ${k + 1}`, indices)));
console.log(
  `  2 processes, checks balanced by cost: ${s(performance.now() - t0)} s wall; ${shards.map((x) => `${x.name} ${s(x.wallMs)} s`).join(', ')}`,
);

// 3. tinybench medians of what every run pays regardless of backend.
const bench = new Bench({ time: 500, warmupTime: 100 });
const drbg = new CtrDrbg(nistEntropyInput());
bench
  .add('load + parse + index the vectors directory', async () => void (await loadVectorDir(vectorsDir)))
  .add('CTR_DRBG randombytes(64)', () => void drbg.randomBytes(64));
await bench.run();
console.table(
  bench.tasks.map((t) => {
    const r = t.result as { latency?: { p50?: number } } | undefined;
    return { task: t.name, 'median ms': (r?.latency?.p50 ?? NaN).toFixed(3) };
  }),
);
