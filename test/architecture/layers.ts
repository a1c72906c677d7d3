// The dependency rule of docs/architecture.md as data: each production file
// belongs to a layer, and an import may only point to the same layer or one
// below. Tests (test/) may import anything; production code never imports
// test/ (benchmarks may use test/support/; selftest names mutant modules by
// path, which is not an import).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** Lowest first. A path prefix maps a file to its layer; the longest prefix wins. */
export const LAYERS: readonly { layer: string; rank: number; prefixes: readonly string[] }[] = [
  { layer: 'check', rank: 0, prefixes: ['src/check/', 'src/errors.ts', 'src/log.ts', 'src/ts-loader.ts', 'src/yaml-file.ts'] },
  { layer: 'crypto', rank: 1, prefixes: ['src/crypto/'] },
  { layer: 'mesh', rank: 2, prefixes: ['src/mesh/'] },
  { layer: 'vectors/chaos', rank: 3, prefixes: ['vectors/', 'chaos/'] },
  // The SLO load, its measurements and baselines: a library the slo suite runs (bench/slo/cli.ts is the CLI's).
  { layer: 'slo-load', rank: 3, prefixes: ['bench/slo/'] },
  { layer: 'suites', rank: 4, prefixes: ['suites/'] },
  { layer: 'report', rank: 4, prefixes: ['src/report/'] },
  { layer: 'policy', rank: 5, prefixes: ['src/policy/'] },
  { layer: 'harness', rank: 6, prefixes: ['src/harness/'] },
  { layer: 'bench', rank: 7, prefixes: ['bench/'] },
  { layer: 'cli', rank: 8, prefixes: ['src/cli.ts', 'src/cli/', 'src/index.ts'] },
];

export const PRODUCTION_ROOTS = ['src', 'suites', 'vectors', 'chaos', 'bench'] as const;

export function layerOf(file: string): { layer: string; rank: number } | undefined {
  let best: { layer: string; rank: number; len: number } | undefined;
  for (const l of LAYERS)
    for (const p of l.prefixes)
      if ((file === p || file.startsWith(p)) && (!best || p.length > best.len)) best = { layer: l.layer, rank: l.rank, len: p.length };
  return best && { layer: best.layer, rank: best.rank };
}

export interface Edge {
  from: string;
  to: string;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Every relative import (static, re-export, dynamic with a literal) of the files under the roots. */
export function importEdges(repo: string, roots: readonly string[]): Edge[] {
  const edges: Edge[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(repo, dir))) {
      const rel = join(dir, name);
      if (name === 'node_modules') continue;
      if (statSync(join(repo, rel)).isDirectory()) walk(rel);
      else if (/\.(ts|mjs)$/.test(name)) {
        const text = readFileSync(join(repo, rel), 'utf8');
        for (const m of text.matchAll(SPECIFIER)) edges.push({ from: rel, to: normalize(join(dirname(rel), m[1])) });
      }
    }
  };
  for (const r of roots) walk(r);
  return edges.map((e) => ({ from: relative('.', e.from), to: relative('.', e.to) }));
}

/** The edges that break the rule, each as one line naming both files and layers. */
export function violations(edges: readonly Edge[]): string[] {
  const out: string[] = [];
  for (const { from, to } of edges) {
    // Benchmarks are the project's own tooling: they may use the test kits.
    if (to.startsWith('test/support/') && from.startsWith('bench/')) continue;
    if (to.startsWith('test/')) {
      out.push(`${from} imports ${to}: production code never imports test/`);
      continue;
    }
    const a = layerOf(from);
    const b = layerOf(to);
    if (!a) out.push(`${from}: belongs to no layer (add it to test/architecture/layers.ts)`);
    else if (!b) out.push(`${from} imports ${to}, which belongs to no layer`);
    else if (b.rank > a.rank) out.push(`${from} (${a.layer}) imports ${to} (${b.layer}): imports point downwards only`);
  }
  return out;
}
