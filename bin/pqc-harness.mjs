#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx's ESM hook.
// The parent as it was before the TypeScript sources load (seconds on a busy box): long-running
// commands stop when it goes away (src/mesh/node/parent-watch.ts), even if it died meanwhile.
globalThis.pqcHarnessParentPid = process.ppid;
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
