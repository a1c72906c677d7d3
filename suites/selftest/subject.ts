// Puts a mutant in the place of what it replaces in a suite environment.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { loadBackend } from '../../src/crypto/select.ts';
import { ConfigError } from '../../src/errors.ts';
import type { FallbackControllerFactory } from '../../src/mesh/fallback/controller.ts';
import type { MeshProtocol } from '../../src/mesh/protocol/seams.ts';
import type { ControlProtocol } from '../../src/mesh/control/seams.ts';
import { tsxNodeCommand } from '../../bench/slo/node-command.ts';
import type { SuiteEnv } from '../env.ts';
import type { MutantSpec } from '../mutant.ts';

/** Mutant module paths are relative to the package root, wherever the harness runs from. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const quiet = pino({ level: 'silent' });

async function defaultExport(m: MutantSpec): Promise<unknown> {
  const file = resolve(PACKAGE_ROOT, m.module);
  try {
    return ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (e) {
    throw new ConfigError(`mutant ${m.name}: cannot load ${m.module}: ${(e as Error).message}`);
  }
}

export async function envWithMutant(base: SuiteEnv, m: MutantSpec): Promise<SuiteEnv> {
  switch (m.kind) {
    case 'backend':
      return { ...base, backends: [await loadBackend(resolve(PACKAGE_ROOT, m.module), { logger: quiet })] };
    case 'protocol': {
      const p = (await defaultExport(m)) as MeshProtocol | undefined;
      if (typeof p?.verifyTranscriptSignature !== 'function')
        throw new ConfigError(`mutant ${m.name}: ${m.module} exports no MeshProtocol`);
      return { ...base, protocol: p };
    }
    case 'control': {
      const c = (await defaultExport(m)) as ControlProtocol | undefined;
      if (typeof c?.quorumNode !== 'function') throw new ConfigError(`mutant ${m.name}: ${m.module} exports no ControlProtocol`);
      return { ...base, control: c, controlModule: resolve(PACKAGE_ROOT, m.module) };
    }
    case 'fallback': {
      const f = await defaultExport(m);
      if (typeof f !== 'function') throw new ConfigError(`mutant ${m.name}: ${m.module} exports no FallbackControllerFactory`);
      return { ...base, fallback: f as FallbackControllerFactory };
    }
    case 'node-command':
      return { ...base, nodeCommand: tsxNodeCommand(resolve(PACKAGE_ROOT, m.module)).text };
    case 'rules':
      return { ...base, rulesFile: resolve(PACKAGE_ROOT, m.module) };
    case 'vectors': {
      const make = await defaultExport(m);
      if (typeof make !== 'function') throw new ConfigError(`mutant ${m.name}: ${m.module} exports no vector-directory maker`);
      if (!base.vectorsDir) throw new ConfigError(`mutant ${m.name}: needs a vector directory to start from`);
      return { ...base, vectorsDir: await (make as (dir: string) => Promise<string>)(base.vectorsDir) };
    }
  }
}
