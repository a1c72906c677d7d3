#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx's ESM hook.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
