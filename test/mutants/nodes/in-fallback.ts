// Mutant node command: the node runs in classical fallback, through the real
// switch X0TTA6BL4_DISABLE_PQC=true, with the mesh's policy allowing the
// classical suite so handshakes still succeed (on X25519-ED25519).
// Must fail slo/fallback-rate, and only that.
//   node --import tsx test/mutants/nodes/in-fallback.ts --config {config}
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { configArg, runReferenceNode } from './run-reference.ts';

process.env.X0TTA6BL4_DISABLE_PQC = 'true';
const config = configArg();
const doc = parse(readFileSync(config, 'utf8')) as { fallback?: Record<string, unknown> };
doc.fallback = { ...doc.fallback, allowClassical: true };
// Beside the original, so the config's relative paths still resolve.
const patched = config.replace(/\.ya?ml$/, '') + '.fallback.yaml';
writeFileSync(patched, stringify(doc));
await runReferenceNode({ config: patched });
