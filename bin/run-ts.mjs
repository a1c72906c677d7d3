#!/usr/bin/env node
// `node bin/run-ts.mjs SCRIPT.ts ARGS...`: runs a TypeScript script of this
// package (a node-command mutant's wrapper, test/mutants/nodes/) from its
// prebuilt bundle (bin/prebuilt.mjs), or through tsx when there is none. The
// script sees process.argv as if started as `node SCRIPT.ts ARGS...`.
globalThis.pqcHarnessParentPid = process.ppid;
import { resolve } from 'node:path';
import { startEntry } from './prebuilt.mjs';

const script = process.argv[2];
if (!script) {
  process.stderr.write('usage: node bin/run-ts.mjs SCRIPT.ts [ARGS...]\n');
  process.exit(2);
}
const file = resolve(script);
process.argv.splice(1, 2, file);
await startEntry(file, file);
