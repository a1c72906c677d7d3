// `pqc-harness --version [--json]`: the harness version, and with --json the
// version of every backend library as loaded here (or why it did not load).
import { pino } from 'pino';
import { BUILTIN_BACKENDS, loadBackend } from '../crypto/select.ts';

export async function printVersion(version: string, json: boolean): Promise<void> {
  if (!json) {
    process.stdout.write(`pqc-harness ${version}\n`);
    return;
  }
  const quiet = pino({ level: 'silent' });
  const backends: Record<string, { version: string; deterministic: boolean; insecure: boolean } | { error: string }> = {};
  for (const name of BUILTIN_BACKENDS) {
    try {
      const b = await loadBackend(name, { logger: quiet, env: {} });
      backends[name] = { version: b.version, deterministic: b.deterministic, insecure: b.insecure === true };
    } catch (e) {
      backends[name] = { error: (e as Error).message };
    }
  }
  process.stdout.write(`${JSON.stringify({ name: 'pqc-mesh-harness', version, node: process.version, backends }, null, 2)}\n`);
}
