// `pqc-harness matrix`: the ecosystem matrix over every available library.
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { LIBRARIES, libraryEntry, type LibraryEntry } from '../../crypto/adapters/catalog.ts';
import { ConfigError } from '../../errors.ts';
import type { Profile } from '../../check/evidence.ts';
import type { ProgressListener } from '../runner.ts';
import { defaultVectorsDir } from '../../../vectors/discover.ts';
import { writeMatrix } from './render.ts';
import { runMatrix } from './run.ts';

interface MatrixFlags {
  backend?: string[];
  vectors?: string;
  out: string;
  profile: Profile;
  seed?: number;
  only?: string;
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

function parseSeed(v: string): number {
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < -(2 ** 31) || n >= 2 ** 31)
    throw new InvalidArgumentError('the seed must be a 32-bit integer');
  return n;
}

/** The catalog entries named by `-b` (all when none), in the order given; an unknown name is a ConfigError (exit 2). */
export function pickLibraries(names: readonly string[] | undefined): readonly LibraryEntry[] {
  if (!names?.length) return LIBRARIES;
  return names.map((n) => {
    const e = libraryEntry(n);
    if (!e) throw new ConfigError(`unknown library "${n}" (known: ${LIBRARIES.map((l) => l.name).join(', ')})`);
    return e;
  });
}

/** `progress` comes from the CLI layer (a progress display is not the harness's business). */
export function registerMatrixCommand(program: Command, progress: () => ProgressListener): void {
  program
    .command('matrix')
    .description(
      'certify the JavaScript PQC ecosystem side by side: every library x every family; writes matrix.md, matrix.json and matrix.html',
    )
    .option('-b, --backend <name>', `library (repeatable; default all: ${LIBRARIES.map((l) => l.name).join(', ')})`, collect)
    .option('--vectors <dir>', 'known-answer vector directory (default $PQC_VECTORS_DIR, else the fetch cache)')
    .option('-o, --out <dir>', 'output directory', join('reports', 'matrix'))
    .addOption(new Option('-p, --profile <profile>', 'pr (fast) or release (full size)').choices(['pr', 'release']).default('pr'))
    .option('--seed <n>', 'root seed; one seed replays the whole matrix (default: random, printed)', parseSeed)
    .option('--only <text>', 'run only checks whose id contains this text')
    .action(async (flags: MatrixFlags) => {
      const libraries = pickLibraries(flags.backend);
      const seed = flags.seed ?? randomInt(-(2 ** 31), 2 ** 31);
      const vectorsDir = resolve(flags.vectors ?? defaultVectorsDir());
      process.stderr.write(`pqc-harness matrix: profile ${flags.profile}, seed ${seed}, ${libraries.length} libraries\n`);
      const m = await runMatrix({ libraries, vectorsDir, profile: flags.profile, seed, only: flags.only, progress: progress() });
      const written = writeMatrix(resolve(flags.out), m);
      const unavailable = m.rows.filter((r) => r.kind === 'unavailable');
      process.stdout.write(
        `${m.verdict === 'pass' ? 'PASS' : 'FAIL'}: ${m.rows.length} libraries x ${m.families.length} families, ${m.checks.length} checks in ${(m.durationMs / 1000).toFixed(1)} s (seed ${seed})\n` +
          m.verdictReasons.map((r) => `  ${r}\n`).join('') +
          unavailable.map((r) => `  unavailable: ${r.library}: ${r.note}\n`).join('') +
          `matrix: ${written.markdown}\njson: ${written.json}\nhtml: ${written.html}\n`,
      );
      process.exitCode = m.verdict === 'pass' ? 0 : 1;
    });
}
