// `pqc-harness vectors fetch|verify|lint`: download the pinned upstream vector
// files into a directory, check a directory against the manifest, or check
// that every vector file in it can tell a correct backend from a broken one.
import type { Command } from 'commander';
import { defaultVectorsDir, fetchHint, loadVectorDir } from './discover.ts';
import { fetchVectors, verifyVectors, type FetchProgress } from './fetch.ts';
import { describeDefect } from './lint/findings.ts';
import { defaultManifest, readManifest } from './manifest.ts';

interface VectorsOptions {
  dir?: string;
  manifest?: string;
  mirror?: string;
  only?: string[];
  strict?: boolean;
}

function kib(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** One progress line per file on a terminal, a line per finished file otherwise. */
function progressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  let last = 0;
  return (p: FetchProgress) => {
    const now = Date.now();
    const done = p.total !== undefined && p.received >= p.total;
    if (!done && now - last < 200) return;
    last = now;
    const of = p.total !== undefined ? ` / ${kib(p.total)}` : '';
    if (stream.isTTY) stream.write(`\r  ${p.path}  ${kib(p.received)}${of}\x1b[K${done ? '\n' : ''}`);
    else if (done) stream.write(`  ${p.path}  ${kib(p.received)}\n`);
  };
}

export function registerVectorsCommand(program: Command): Command {
  const vectors = program.command('vectors').description('known-answer vector files: download and verify against the pinned manifest');
  const dirHelp = 'vectors directory (default: $PQC_VECTORS_DIR or ~/.cache/pqc-mesh-harness/vectors)';

  vectors
    .command('fetch')
    .description('download the pinned upstream files, verify SHA-256, write atomically; files already present and valid are kept')
    .option('--dir <dir>', dirHelp)
    .option('--manifest <file>', 'manifest to use instead of vectors/manifest.json')
    .option('--mirror <url>', 'fetch from this base URL instead of each upstream host (same paths)')
    .option('--only <prefix...>', 'only files whose path starts with a prefix (e.g. acvp/ xwing/)')
    .action(async (o: VectorsOptions) => {
      const dir = o.dir ?? defaultVectorsDir();
      const manifest = o.manifest ? readManifest(o.manifest) : defaultManifest();
      process.stderr.write(`fetching vectors into ${dir}\n`);
      const outcomes = await fetchVectors({ dir, manifest, mirror: o.mirror, only: o.only, onProgress: progressPrinter() });
      const count = (s: string) => outcomes.filter((x) => x.status === s).length;
      for (const x of outcomes.filter((x) => x.status === 'failed')) process.stderr.write(`FAILED ${x.error}\n`);
      const unverified = outcomes.filter((x) => x.unverified && x.status !== 'failed');
      for (const x of unverified) process.stderr.write(`unverified (no SHA-256 pin in the manifest) ${x.path} sha256=${x.sha256}\n`);
      process.stdout.write(
        `vectors fetch: ${count('downloaded')} downloaded, ${count('present')} already present and valid, ` +
          `${count('failed')} failed, ${count('no-url')} local-only (no upstream URL), ${unverified.length} without a SHA-256 pin\n`,
      );
      if (count('failed') > 0) process.exitCode = 1;
    });

  vectors
    .command('verify')
    .description('check a vectors directory against the manifest; unpinned files are listed separately')
    .option('--dir <dir>', dirHelp)
    .option('--manifest <file>', 'manifest to use instead of vectors/manifest.json')
    .option('--strict', 'also fail when a pinned file is missing')
    .action(async (o: VectorsOptions) => {
      const dir = o.dir ?? defaultVectorsDir();
      const manifest = o.manifest ? readManifest(o.manifest) : defaultManifest();
      let r: Awaited<ReturnType<typeof verifyVectors>>;
      try {
        r = await verifyVectors(dir, manifest);
      } catch (e) {
        process.stderr.write(`vectors verify: ${(e as Error).message}; run \`pqc-harness vectors fetch --dir ${dir}\`\n`);
        process.exitCode = 2;
        return;
      }
      const out = process.stdout;
      for (const m of r.mismatched) out.write(`MISMATCH  ${m.path}\n          expected ${m.expected}\n          actual   ${m.actual}\n`);
      for (const f of r.ok) out.write(`ok        ${f.path}${f.pin === 'local-only' ? '  (local-only pin)' : ''}\n`);
      for (const f of r.unverifiable) out.write(`present   ${f.path}  (no SHA-256 pin recorded; sha256=${f.sha256})\n`);
      for (const p of r.missing) out.write(`missing   ${p}\n`);
      if (r.unpinned.length) {
        out.write(`unpinned files (not in the manifest):\n`);
        for (const f of r.unpinned) out.write(`          ${f.path}  sha256=${f.sha256}\n`);
      }
      out.write(
        `vectors verify ${dir}: ${r.ok.length} ok, ${r.mismatched.length} mismatched, ${r.missing.length} missing, ` +
          `${r.unverifiable.length} unverifiable, ${r.unpinned.length} unpinned\n`,
      );
      if (r.mismatched.length || (o.strict && r.missing.length)) process.exitCode = 1;
    });
  vectors
    .command('lint')
    .description('check that each vector file can discriminate (key-check keys present and well-formed, case counts, schemas)')
    .option('--dir <dir>', dirHelp)
    .action(async (o: VectorsOptions) => {
      process.exitCode = await lintCommand(o.dir ?? defaultVectorsDir());
    });
  return vectors;
}

/** Prints one line per linted file (and its defects); 0 when all are sound, 1 when one is not, 2 when nothing was found. */
async function lintCommand(dir: string): Promise<number> {
  const v = await loadVectorDir(dir);
  const out = process.stdout;
  if (v.lint.length === 0 && v.errors.length === 0) {
    process.stderr.write(`vectors lint: no ACVP or Wycheproof vector files under ${dir}; ${fetchHint(dir)}\n`);
    return 2;
  }
  for (const l of v.lint) {
    if (l.defects.length === 0) out.write(`ok      ${l.path}  (${l.cases} cases)\n`);
    else {
      out.write(`DEFECT  ${l.path}\n`);
      for (const d of l.defects) out.write(`          ${describeDefect(d)}\n`);
    }
  }
  for (const e of v.errors) out.write(`LOAD    ${e.message}\n`);
  const defective = v.lint.filter((l) => l.defects.length > 0).length;
  out.write(`vectors lint ${dir}: ${v.lint.length - defective} sound, ${defective} defective, ${v.errors.length} failed to load\n`);
  return defective > 0 || v.errors.length > 0 ? 1 : 0;
}
