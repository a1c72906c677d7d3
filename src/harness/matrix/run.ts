// Runs the ecosystem matrix: loads every library, builds the crypto, kat,
// pairwise and X-Wing checks over them, runs them in this process (one seed
// replays the whole matrix) and folds the results into cells.
import { LIBRARIES, type LibraryEntry } from '../../crypto/adapters/catalog.ts';
import type { CryptoBackend } from '../../crypto/backend.ts';
import { createNobleBackend } from '../../crypto/noble.ts';
import type { Check, CheckContext, CheckResult, Profile } from '../../check/evidence.ts';
import { buildCryptoChecks } from '../../../suites/crypto/index.ts';
import { buildPairwiseChecks, type MatrixLibrary } from '../../../suites/crypto/pairwise.ts';
import { xwingInteropCheck, xwingVectorsCheck } from '../../../suites/crypto/xwing-library.ts';
import { buildKatChecks } from '../../../suites/kat/index.ts';
import { loadVectorDir } from '../../../vectors/discover.ts';
import { runChecks, type ProgressListener } from '../runner.ts';
import { buildRows, interopGrids } from './cells.ts';
import { EXPECTATIONS, type Expectation } from './expectations.ts';
import { FAMILIES } from './families.ts';
import type { MatrixReport } from './model.ts';

export interface MatrixOptions {
  libraries?: readonly LibraryEntry[];
  vectorsDir: string;
  profile: Profile;
  seed: number;
  /** Keeps only checks whose id contains this text. */
  only?: string;
  /** Keeps only the checks it accepts (tests select one family per mutant row). */
  filter?: (check: Check) => boolean;
  progress?: ProgressListener;
  expectations?: readonly Expectation[];
}

export type LoadOutcome = { entry: LibraryEntry; loaded: MatrixLibrary } | { entry: LibraryEntry; unavailable: string };

async function loadAll(entries: readonly LibraryEntry[]): Promise<LoadOutcome[]> {
  const out: LoadOutcome[] = [];
  for (const entry of entries) {
    const why = entry.unavailable?.();
    if (why) {
      out.push({ entry, unavailable: why });
      continue;
    }
    try {
      out.push({ entry, loaded: await entry.load() });
    } catch (e) {
      out.push({ entry, unavailable: `failed to load: ${(e as Error).message}` });
    }
  }
  return out;
}

/** crypto/interop and crypto/algorithms are replaced here by the pairwise checks and the rows themselves. */
const replacedByMatrix = (c: Check) => c.id.startsWith('crypto/interop/') || c.id === 'crypto/algorithms';

export async function buildMatrixChecks(outcomes: readonly LoadOutcome[], vectorsDir: string): Promise<Check[]> {
  const libs = outcomes.flatMap((o) => ('loaded' in o ? [o.loaded] : []));
  const backends = libs.flatMap((l) => (l.backend ? [l.backend] : []));
  const vectors = await loadVectorDir(vectorsDir);
  const reference: CryptoBackend = backends.find((b) => b.name === 'noble') ?? createNobleBackend();
  return [
    ...buildCryptoChecks(backends).filter((c) => !replacedByMatrix(c)),
    ...buildKatChecks(backends, vectors),
    ...buildPairwiseChecks(libs),
    ...libs
      .filter((l) => l.library.xwing)
      .flatMap((l) => [xwingVectorsCheck(l.library, vectors.xwing), xwingInteropCheck(l.library, reference)]),
  ];
}

export async function runMatrix(opts: MatrixOptions): Promise<MatrixReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const outcomes = await loadAll(opts.libraries ?? LIBRARIES);
  let checks = await buildMatrixChecks(outcomes, opts.vectorsDir);
  if (opts.only) checks = checks.filter((c) => c.id.includes(opts.only as string));
  if (opts.filter) checks = checks.filter(opts.filter);
  const ctx: CheckContext = { seed: opts.seed, profile: opts.profile, vectorsDir: opts.vectorsDir };
  const results: CheckResult[] = await runChecks(checks, ctx, opts.progress);
  const { rows, reasons } = buildRows(outcomes, results, opts.expectations ?? EXPECTATIONS);
  return {
    schemaVersion: 1,
    tool: 'pqc-mesh-harness matrix',
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    seed: opts.seed,
    profile: opts.profile,
    vectorsDir: opts.vectorsDir,
    node: process.version,
    families: FAMILIES.map((f) => ({ id: f.id, title: f.title, severity: f.severity })),
    rows,
    interop: interopGrids(results),
    verdict: reasons.length ? 'fail' : 'pass',
    verdictReasons: reasons,
    checks: results.map((r) => ({
      id: r.id,
      ...(r.backend ? { backend: r.backend } : {}),
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      durationMs: r.durationMs,
    })),
  };
}
