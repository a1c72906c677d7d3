// Prebuilt entries: `pqc-harness node --config F` runs many times per
// certification (every chaos scenario, control and negative mesh starts 3 to
// 7 of them, selftest's node-command mutants as many again), and loading the
// TypeScript sources through tsx costs each start about a second of CPU. So
// a node starts from one JavaScript file bundled by esbuild (tsx's own
// dependency) from its entry (src/cli/node-main.ts, or a mutant's wrapper
// script, bin/run-ts.mjs), with the pure-JavaScript npm packages it loads at
// start-up inlined (INLINED) and the rest left as imports. A bundle
// is built on first use and rebuilt whenever a source file it was built from
// changed (size or mtime); anything unusual (no esbuild, an unwritable cache,
// a build error, a build already under way in another process) falls back to
// tsx for that start. Plain JavaScript: this runs before any TypeScript hook exists.
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const NODE_ENTRY = join(ROOT, 'src/cli/node-main.ts');
/** Bump when the way the bundle is built changes, so old caches are not reused. */
const FORMAT = 3;

/**
 * npm packages bundled in: pure JavaScript, and resolving and loading them
 * file by file was half of a node's start (0.45 s of CPU to load, 0.23 s
 * inlined). The others stay imports: WebAssembly or native code found by
 * path (@oqs/liboqs-js, pqclean), pino's worker-thread transport files, the
 * TypeScript loader (tsx, esbuild) and adapters loaded only by name.
 */
const INLINED = ['@noble/', 'zod', 'yaml', 'prom-client', 'bintrees', 'tdigest', '@opentelemetry/api', 'commander'];
const inlined = (spec) => INLINED.some((p) => (p.endsWith('/') ? spec.startsWith(p) : spec === p || spec.startsWith(`${p}/`)));

/** Bare imports of packages not in INLINED stay imports of the bundle. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (inlined(args.path) ? undefined : { path: args.path, external: true }));
  },
};

/** CommonJS packages inlined into an ES module call require() for Node's built-ins: give the bundle one, made from its own path. */
const requireBanner = (bundleFile) =>
  `import { createRequire as pqcCreateRequire } from 'node:module'; const require = pqcCreateRequire(${JSON.stringify(pathToFileURL(bundleFile).href)});`;

/** `node --config F [--exit-with-parent]` and nothing else: the one shape the bundle serves (no --mutant, no --help). */
export function isPlainNodeCommand(argv) {
  if (argv[0] !== 'node') return false;
  let config = false;
  let exitWithParent = false;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--config' && !config && i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
      config = true;
      i++;
    } else if (argv[i] === '--exit-with-parent' && !exitWithParent) exitWithParent = true;
    else return false;
  }
  return config;
}

function cacheDirs() {
  const key = createHash('sha256').update(ROOT).digest('hex').slice(0, 16);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'u';
  return [join(ROOT, '.cache/prebuilt'), join(tmpdir(), `pqc-mesh-harness-${uid}-${key}`)];
}

/** The manifest's inputs all still have the size and mtime they were built from. */
function fresh(manifestFile) {
  let m;
  try {
    m = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return false;
  }
  if (m.format !== FORMAT || m.node !== process.version || m.root !== ROOT) return false;
  try {
    for (const [file, [size, mtimeMs]] of Object.entries(m.inputs)) {
      const s = statSync(file);
      if (s.size !== size || s.mtimeMs !== mtimeMs) return false;
    }
  } catch {
    return false;
  }
  return true;
}

/** Each source file keeps its own import.meta (paths relative to it: vectors, rules, the bin), not the bundle's. */
const ownImportMeta = {
  name: 'own-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[mc]?ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = (await readFile(args.path, 'utf8'))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents: text, loader: 'ts' };
    });
  },
};

async function build(entry, bundleFile, manifestFile) {
  const lock = `${bundleFile}.lock`;
  let fd;
  try {
    fd = openSync(lock, 'wx');
  } catch {
    // Another process is building it now (or died doing so: a lock older than a minute is stale).
    try {
      if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { force: true });
    } catch {}
    return false;
  }
  try {
    // esbuild is tsx's dependency: resolve it from there, wherever npm placed it.
    const esbuild = createRequire(createRequire(join(ROOT, 'package.json')).resolve('tsx')).resolve('esbuild');
    const { build: run } = await import(pathToFileURL(esbuild).href);
    const tmp = `${bundleFile}.${process.pid}.tmp`;
    const r = await run({
      absWorkingDir: ROOT,
      entryPoints: [entry],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      metafile: true,
      logLevel: 'silent',
      banner: { js: requireBanner(bundleFile) },
      plugins: [externalPackages, ownImportMeta],
    });
    // This builder is an input too: a change to how bundles are made rebuilds them.
    const inputs = {};
    for (const rel of [fileURLToPath(import.meta.url), ...Object.keys(r.metafile.inputs)]) {
      const file = resolve(ROOT, rel);
      const s = statSync(file);
      inputs[file] = [s.size, s.mtimeMs];
    }
    renameSync(tmp, bundleFile);
    writeFileSync(`${manifestFile}.tmp`, JSON.stringify({ format: FORMAT, node: process.version, root: ROOT, inputs }));
    renameSync(`${manifestFile}.tmp`, manifestFile);
    return true;
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
}

/**
 * The bundle of `entry` (a TypeScript file inside this package), built or
 * rebuilt if needed; undefined: use tsx this time. PQC_HARNESS_PREBUILT=0 (or false/no/off) turns it off; so does NODE_V8_COVERAGE.
 */
export async function prebuiltEntry(entry) {
  const rel = relative(ROOT, entry);
  // Under V8 coverage (--node-coverage, vitest --coverage) the sources must run as themselves, so c8 maps lines to them.
  const off = ['0', 'false', 'no', 'off'].includes((process.env.PQC_HARNESS_PREBUILT ?? '').toLowerCase());
  if (off || process.env.NODE_V8_COVERAGE) return undefined;
  if (rel.startsWith('..') || !/\.[mc]?ts$/.test(rel)) return undefined;
  const name = `${basename(rel).replace(/\.[mc]?ts$/, '')}-${createHash('sha256').update(rel).digest('hex').slice(0, 12)}`;
  for (const dir of cacheDirs()) {
    const bundleFile = join(dir, `${name}.mjs`);
    const manifestFile = join(dir, `${name}.json`);
    if (fresh(manifestFile)) return bundleFile;
    try {
      mkdirSync(dir, { recursive: true });
      if (await build(entry, bundleFile, manifestFile)) return bundleFile;
      return undefined;
    } catch {
      // Not writable here, or the build failed: try the next place, then tsx.
    }
  }
  return undefined;
}

/**
 * Starts this package from `bundled`'s bundle when there is one (a TypeScript
 * entry, or undefined for none), else `source` through tsx. Modules named at
 * run time (a backend given as a path) may still be TypeScript: with the
 * bundle, src/ts-loader.ts registers tsx for them (pqcHarnessPrebuilt).
 */
export async function startEntry(bundled, source) {
  const prebuilt = bundled === undefined ? undefined : await prebuiltEntry(bundled);
  if (prebuilt) {
    globalThis.pqcHarnessPrebuilt = true;
    await import(pathToFileURL(prebuilt).href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
}
