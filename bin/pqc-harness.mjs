#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx's ESM hook, except
// for a plain `node --config F` start, which runs the prebuilt node entry
// (bin/prebuilt.mjs) when it is there or can be built.
// The parent as it was before the TypeScript sources load (seconds on a busy box): long-running
// commands stop when it goes away (src/mesh/node/parent-watch.ts), even if it died meanwhile.
globalThis.pqcHarnessParentPid = process.ppid;
import { join } from 'node:path';
import { isPlainNodeCommand, NODE_ENTRY, ROOT, startEntry } from './prebuilt.mjs';

await startEntry(isPlainNodeCommand(process.argv.slice(2)) ? NODE_ENTRY : undefined, join(ROOT, 'src/cli.ts'));
