#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx's ESM hook, except
// for a plain `node --config F` start, which runs the prebuilt node entry
// (bin/prebuilt.mjs) when it is there or can be built.
// The parent as it was before the TypeScript sources load (seconds on a busy box): long-running
// commands stop when it goes away (src/mesh/node/parent-watch.ts), even if it died meanwhile.
globalThis.pqcHarnessParentPid = process.ppid;
import { pathToFileURL } from 'node:url';
import { isPlainNodeCommand, NODE_ENTRY, prebuiltEntry } from './prebuilt.mjs';

const prebuilt = isPlainNodeCommand(process.argv.slice(2)) ? await prebuiltEntry(NODE_ENTRY) : undefined;
if (prebuilt) {
  // Modules named at run time (a backend given as a path) may be TypeScript: src/ts-loader.ts registers tsx for them.
  globalThis.pqcHarnessPrebuilt = true;
  await import(pathToFileURL(prebuilt).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
