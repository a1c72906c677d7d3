// `--node-coverage`: which lines of the reference node's protocol and node
// code the run's checks exercised. V8 records coverage for every Node
// process started with NODE_V8_COVERAGE set (this run, its workers, the node
// processes the mesh checks start); c8 maps it back to the TypeScript
// sources. The run re-executes itself with the variable set, then c8 reports
// per file and lists every branch no check reached.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

/** The code the note is about: the protocol (wire, handshake, channel) and the node around it. */
export const COVERED_CODE = ['src/mesh/protocol/**', 'src/mesh/node/**'] as const;

const ROOT = resolve(import.meta.dirname, '../..');

interface IstanbulFile {
  branchMap: Record<string, { type: string; loc: { start: { line: number } }; locations: { start: { line: number } }[] }>;
  b: Record<string, number[]>;
  statementMap: Record<string, { start: { line: number } }>;
  s: Record<string, number>;
}

export interface FileCoverage {
  file: string;
  lines: { covered: number; total: number };
  /** `line (type, arm k)` of every branch arm never taken. */
  unreachedBranches: string[];
}

export interface NodeCoverage {
  files: FileCoverage[];
  lines: { covered: number; total: number; pct: number };
  branches: { covered: number; total: number };
}

/**
 * The checks the coverage pass runs: every check that drives the protocol
 * and node code, in process or on real node processes. The known-answer and
 * crypto checks reach none of it, and under V8's precise coverage pure-JS
 * ML-KEM and ML-DSA run several times slower.
 */
export const COVERAGE_CHECKS = ['mesh/', 'negative/', 'fallback/', 'control/nodes/'] as const;

/**
 * Runs this command again, at pr size, on the mesh-level checks only
 * (COVERAGE_CHECKS, or the run's own --only), in one process with NODE_V8_COVERAGE set, writing its
 * report into `scratchDir`; resolves to its exit code. The certification
 * itself runs without coverage (release: on every worker, at full speed).
 * pr size reaches the same lines: release adds lengths, positions and
 * indices of the same code paths, not new ones.
 */
export function runCoveragePass(tempDir: string, scratchDir: string, only: string = COVERAGE_CHECKS.join(',')): Promise<number> {
  rmSync(tempDir, { recursive: true, force: true });
  mkdirSync(tempDir, { recursive: true });
  const args = process.argv.slice(1).filter((a, i, all) => !isDropped(a, all[i - 1]));
  // One process: worker processes load the sources through another path, and c8 cannot merge their maps with the parent's.
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...args, '--profile', 'pr', '--only', only, '--jobs', '1', '--out', scratchDir],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_V8_COVERAGE: tempDir } },
  );
  return new Promise((done) => child.on('exit', (code) => done(code ?? 1)));
}

/** Flags the coverage pass sets itself (with their values). */
const OWN_FLAGS = new Set(['--profile', '-p', '--only', '--jobs', '-j', '--out', '-o']);
function isDropped(arg: string, previous: string | undefined): boolean {
  if (OWN_FLAGS.has(arg) || [...OWN_FLAGS].some((f) => arg.startsWith(`${f}=`))) return true;
  return previous !== undefined && OWN_FLAGS.has(previous);
}

/** Runs `c8 report` over the raw V8 files; throws naming c8 when it is missing or fails. */
export function reportCoverage(tempDir: string, reportDir: string): NodeCoverage {
  let c8: string;
  try {
    c8 = createRequire(import.meta.url).resolve('c8/bin/c8.js');
  } catch {
    throw new Error('--node-coverage needs c8 (npm install -D c8)');
  }
  const args = ['report', `--temp-directory=${tempDir}`, `--report-dir=${reportDir}`, '--reporter=json', '--exclude-after-remap=false'];
  for (const g of COVERED_CODE) args.push(`--include=${g}`);
  const r = spawnSync(process.execPath, [c8, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`c8 report failed: ${r.stderr || r.stdout}`);
  const raw = JSON.parse(readFileSync(join(reportDir, 'coverage-final.json'), 'utf8')) as Record<string, IstanbulFile>;
  return summarize(raw);
}

export function summarize(raw: Record<string, IstanbulFile>): NodeCoverage {
  const files = Object.entries(raw)
    .map(([path, f]): FileCoverage => {
      // Lines as istanbul counts them: a line is covered when any statement starting on it ran.
      const lines = new Map<number, boolean>();
      for (const [id, st] of Object.entries(f.statementMap)) lines.set(st.start.line, (lines.get(st.start.line) ?? false) || f.s[id] > 0);
      const unreachedBranches = Object.entries(f.branchMap).flatMap(([id, br]) =>
        f.b[id].flatMap((hits, k) => (hits === 0 ? [`${(br.locations[k] ?? br.loc).start.line} (${br.type}, arm ${k})`] : [])),
      );
      return {
        file: relative(ROOT, path),
        lines: { covered: [...lines.values()].filter(Boolean).length, total: lines.size },
        unreachedBranches,
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
  const covered = files.reduce((n, f) => n + f.lines.covered, 0);
  const total = files.reduce((n, f) => n + f.lines.total, 0);
  const branchTotal = Object.values(raw).reduce((n, f) => n + Object.values(f.b).flat().length, 0);
  const branchCovered = Object.values(raw).reduce(
    (n, f) =>
      n +
      Object.values(f.b)
        .flat()
        .filter((h) => h > 0).length,
    0,
  );
  return {
    files,
    lines: { covered, total, pct: total ? Math.round((1000 * covered) / total) / 10 : 0 },
    branches: { covered: branchCovered, total: branchTotal },
  };
}

/** Line coverage of the files under one folder, e.g. the protocol code alone. */
export function linesUnder(c: NodeCoverage, folder: string): { covered: number; total: number; pct: number } {
  const fs = c.files.filter((f) => f.file.startsWith(folder));
  const covered = fs.reduce((n, f) => n + f.lines.covered, 0);
  const total = fs.reduce((n, f) => n + f.lines.total, 0);
  return { covered, total, pct: total ? Math.round((1000 * covered) / total) / 10 : 0 };
}

export function renderNodeCoverage(c: NodeCoverage, what: string): string {
  const unreached = c.files.flatMap((f) => f.unreachedBranches.map((b) => `${f.file}:${b}`));
  const group = (folder: string) => {
    const g = linesUnder(c, folder);
    return `- \`${folder}\`: ${g.pct}% of lines (${g.covered}/${g.total})`;
  };
  return [
    `# Node coverage`,
    '',
    `${what} exercised ${c.lines.pct}% of the lines of ${COVERED_CODE.join(', ')} (${c.lines.covered}/${c.lines.total}); ` +
      `${unreached.length} branch arms were never reached.`,
    '',
    group('src/mesh/protocol/'),
    group('src/mesh/node/'),
    '',
    '| file | lines | unreached branch arms |',
    '|---|---|---|',
    ...c.files.map((f) => `| ${f.file} | ${f.lines.covered}/${f.lines.total} | ${f.unreachedBranches.length} |`),
    '',
    '## Branch arms never reached',
    '',
    ...unreached.map((u) => `- ${u}`),
    '',
  ].join('\n');
}

/** Writes node-coverage.json and node-coverage.md beside the report; returns the headline. */
export function writeNodeCoverage(outDir: string, c: NodeCoverage, what: string): string {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'node-coverage.json'), `${JSON.stringify(c, null, 2)}\n`);
  writeFileSync(join(outDir, 'node-coverage.md'), renderNodeCoverage(c, what));
  const protocol = linesUnder(c, 'src/mesh/protocol/');
  return `node coverage: protocol and channel code ${protocol.pct}% of lines, node code ${linesUnder(c, 'src/mesh/node/').pct}%; all: ${c.lines.pct}% of lines (${c.lines.covered}/${c.lines.total}), ${c.branches.covered}/${c.branches.total} branch arms: ${join(outDir, 'node-coverage.md')}`;
}
