// One harness run: load backends, build the suites' checks, run them, decide
// the gate and write the report.
import { readFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { loadBackend } from '../crypto/select.ts';
import type { CryptoBackend } from '../crypto/backend.ts';
import { SCHEMA_VERSION, type CertificationReport } from '../report/model.ts';
import { writeReport, type WrittenReport } from '../report/write.ts';
import type { Check, Profile } from './evidence.ts';
import { decide } from './gate.ts';
import { suitesFor, type Command } from './profiles.ts';
import { runChecks, type ProgressListener } from './runner.ts';

export interface RunOptions {
  command: Command;
  backends: readonly string[];
  profile: Profile;
  seed: number;
  outDir: string;
  vectorsDir?: string;
  progress?: ProgressListener;
  /** Filters check ids (substring or prefix match). */
  only?: string;
}

export interface RunOutcome {
  report: CertificationReport;
  written: WrittenReport;
}

export const DEFAULT_BACKENDS = ['noble', 'liboqs'] as const;

function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function loadBackends(specs: readonly string[]): Promise<CryptoBackend[]> {
  const out: CryptoBackend[] = [];
  for (const spec of specs) out.push(await loadBackend(spec));
  return out;
}

export async function runHarness(opts: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const t0 = performance.now();
  const backends = await loadBackends(opts.backends);
  const env = { backends, profile: opts.profile, seed: opts.seed, vectorsDir: opts.vectorsDir };
  let checks: Check[] = [];
  for (const suite of suitesFor(opts.command)) checks.push(...(await suite.checks(env)));
  if (opts.only) checks = checks.filter((c) => c.id.includes(opts.only as string));
  const results = await runChecks(checks, { seed: opts.seed, profile: opts.profile, vectorsDir: opts.vectorsDir }, opts.progress);
  const gate = decide(results, opts.profile);
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const report: CertificationReport = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'pqc-mesh-harness', version: toolVersion() },
    command: opts.command,
    verdict: gate.verdict,
    verdictReasons: gate.reasons,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    seed: opts.seed,
    profile: opts.profile,
    environment: {
      node: process.version,
      os: `${platform()} ${release()}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
    },
    backends: backends.map((b) => ({ name: b.name, version: b.version, deterministic: b.deterministic })),
    ...(opts.vectorsDir ? { vectorsDir: opts.vectorsDir } : {}),
    summary: { total: results.length, passed: count('pass'), failed: count('fail'), skipped: count('skip') },
    checks: results,
  };
  return { report, written: writeReport(opts.outDir, report) };
}
