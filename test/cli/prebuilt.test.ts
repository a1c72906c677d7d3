// The prebuilt node entry (bin/prebuilt.mjs): which starts it serves, when it
// stands aside for tsx, and that a bundled source keeps its own import.meta.url.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isPlainNodeCommand, NODE_ENTRY, prebuiltEntry } from '../../bin/prebuilt.mjs';

const saved = { prebuilt: process.env.PQC_HARNESS_PREBUILT, coverage: process.env.NODE_V8_COVERAGE };
afterEach(() => {
  for (const [name, value] of [
    ['PQC_HARNESS_PREBUILT', saved.prebuilt],
    ['NODE_V8_COVERAGE', saved.coverage],
  ] as const)
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
});

describe('prebuilt node entry', () => {
  it('serves exactly `node --config F [--exit-with-parent]`', () => {
    expect(isPlainNodeCommand(['node', '--config', 'n.yaml'])).toBe(true);
    expect(isPlainNodeCommand(['node', '--config', 'n.yaml', '--exit-with-parent'])).toBe(true);
    expect(isPlainNodeCommand(['node', '--exit-with-parent', '--config', 'n.yaml'])).toBe(true);
    expect(isPlainNodeCommand(['node', '--config', 'n.yaml', '--mutant', 'm.ts'])).toBe(false);
    expect(isPlainNodeCommand(['node', '--config'])).toBe(false);
    expect(isPlainNodeCommand(['node', '--config', '--help'])).toBe(false);
    expect(isPlainNodeCommand(['node', '--config', 'a.yaml', '--config', 'b.yaml'])).toBe(false);
    expect(isPlainNodeCommand(['node'])).toBe(false);
    expect(isPlainNodeCommand(['mesh', 'up', '--config', 'n.yaml'])).toBe(false);
  });

  it('stands aside when turned off, under V8 coverage, and for files outside the package', async () => {
    delete process.env.NODE_V8_COVERAGE;
    process.env.PQC_HARNESS_PREBUILT = 'off';
    expect(await prebuiltEntry(NODE_ENTRY)).toBeUndefined();
    delete process.env.PQC_HARNESS_PREBUILT;
    process.env.NODE_V8_COVERAGE = '/tmp/unused-coverage';
    expect(await prebuiltEntry(NODE_ENTRY)).toBeUndefined();
    delete process.env.NODE_V8_COVERAGE;
    expect(await prebuiltEntry('/tmp/elsewhere/node.ts')).toBeUndefined();
  });

  it('bundles the node entry with each source keeping its own import.meta.url', async () => {
    delete process.env.PQC_HARNESS_PREBUILT;
    delete process.env.NODE_V8_COVERAGE;
    const bundle = await prebuiltEntry(NODE_ENTRY);
    expect(bundle).toBeDefined();
    const text = readFileSync(bundle as string, 'utf8');
    expect(text).not.toContain('import.meta.url');
    // Every bundled source of this package that reads its import.meta.url finds its own URL written in.
    const manifest = JSON.parse(readFileSync((bundle as string).replace(/\.mjs$/, '.json'), 'utf8')) as { inputs: Record<string, unknown> };
    const readers = Object.keys(manifest.inputs).filter(
      (f) => !f.includes('/node_modules/') && !f.endsWith('/bin/prebuilt.mjs') && readFileSync(f, 'utf8').includes('import.meta.url'),
    );
    expect(readers.length).toBeGreaterThan(0);
    for (const f of readers) expect(text).toContain(JSON.stringify(pathToFileURL(f).href));
    // The pure-JavaScript packages are inlined; WebAssembly and native code stay imports.
    expect(text).not.toMatch(/from ["'](zod|yaml|prom-client|@noble\/[^"']+)["']/);
    expect(Object.keys(manifest.inputs).some((f) => f.includes('/node_modules/zod/'))).toBe(true);
    expect(text).toMatch(/from ["']@oqs\/liboqs-js["']|import\(["']@oqs\/liboqs-js["']\)/);
    // The builder is an input, so a change to how bundles are made rebuilds them.
    expect(Object.keys(manifest.inputs).some((f) => f.endsWith('/bin/prebuilt.mjs'))).toBe(true);
    // A second ask with nothing changed reuses the same file.
    expect(await prebuiltEntry(NODE_ENTRY)).toBe(bundle);
  });
});
