// Backend selection: built-in names, `auto`, or a user's module; plus the
// production guard that refuses the insecure mock.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, GuardError } from '../errors.ts';
import { logger as defaultLogger, type Logger } from '../log.ts';
import { allowTypeScriptImports } from '../ts-loader.ts';
import type { CryptoBackend, Kem, Signer } from './backend.ts';
import { ECOSYSTEM_BACKENDS, loadEcosystemBackend, type EcosystemBackend } from './adapters/names.ts';

export const BUILTIN_BACKENDS = ['noble', 'liboqs', 'pqclean', 'mock', ...ECOSYSTEM_BACKENDS] as const;
export type BuiltinBackend = (typeof BUILTIN_BACKENDS)[number];

const TRUTHY = new Set(['true', '1', 'yes', 'on']);
const FALSY = new Set(['false', '0', 'no', 'off', '']);

/**
 * Strict boolean environment flag. Unset, empty and the falsy spellings are
 * off; the truthy spellings (any case) are on; anything else is a
 * configuration error, because a typo in a security switch must not read as "off".
 */
export function parseBoolEnv(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[name];
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (TRUTHY.has(v)) return true;
  if (FALSY.has(v)) return false;
  throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a recognised boolean (use true/1/yes/on or false/0/no/off)`);
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Base for relative module paths; default the working directory. */
  cwd?: string;
}

/** A built-in backend by name, without the guard or the selection log. */
export async function loadBuiltin(name: BuiltinBackend): Promise<CryptoBackend> {
  switch (name) {
    case 'noble':
      return (await import('./noble.ts')).createNobleBackend();
    case 'liboqs':
      return (await import('./liboqs.ts')).createLiboqsBackend();
    case 'pqclean':
      return (await import('./pqclean.ts')).createPqcleanBackend();
    case 'mock':
      return (await import('./mock.ts')).createMockBackend();
    default:
      return loadEcosystemBackend(name satisfies EcosystemBackend);
  }
}

const MODULE_SUFFIXES = ['', '.ts', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];

function resolveModule(spec: string, cwd: string): string {
  const base = isAbsolute(spec) ? spec : resolve(cwd, spec);
  for (const suffix of MODULE_SUFFIXES) {
    const p = base + suffix;
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  throw new ConfigError(`backend module not found: ${spec} (looked for ${base} with ${MODULE_SUFFIXES.filter(Boolean).join(', ')})`);
}

/** Names every missing or mistyped member, so a team sees all problems at once. */
export function validateBackendShape(x: unknown, where: string): asserts x is CryptoBackend {
  const problems: string[] = [];
  const o = (x ?? {}) as Record<string, unknown>;
  if (typeof x !== 'object' || x === null) problems.push('default export is not an object');
  for (const key of ['name', 'version'] as const) if (typeof o[key] !== 'string') problems.push(`${key} (string)`);
  if (typeof o.deterministic !== 'boolean') problems.push('deterministic (boolean)');
  for (const key of ['kems', 'sigs'] as const) if (!Array.isArray(o[key])) problems.push(`${key} (array of algorithm names)`);
  for (const key of ['kem', 'sig'] as const) if (typeof o[key] !== 'function') problems.push(`${key}(alg) (function)`);
  if (problems.length) throw new ConfigError(`${where} does not implement CryptoBackend: missing or wrong ${problems.join(', ')}`);
}

async function loadModuleBackend(spec: string, cwd: string): Promise<CryptoBackend> {
  const path = resolveModule(spec, cwd);
  let mod: { default?: unknown };
  try {
    await allowTypeScriptImports();
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (e) {
    throw new ConfigError(`backend module ${path} failed to load: ${(e as Error).message}`);
  }
  let exported = mod.default;
  if (exported === undefined) throw new ConfigError(`backend module ${path} has no default export`);
  if (typeof exported === 'function') exported = await (exported as () => unknown)();
  validateBackendShape(exported, `backend module ${path}`);
  return exported;
}

/** Wraps an insecure backend so every use of an algorithm logs a warning. */
function loudlyInsecure(b: CryptoBackend, log: Logger): CryptoBackend {
  const warn = (what: string) =>
    log.warn({ backend: b.name, use: what }, `INSECURE backend ${b.name} in use (${what}) under X0TTA6BL4_ALLOW_MOCK_PQC`);
  return {
    ...b,
    kem(alg): Kem {
      warn(alg);
      return b.kem(alg);
    },
    sig(alg): Signer {
      warn(alg);
      return b.sig(alg);
    },
  };
}

/** Applies the production guard to a loaded backend. */
export function guardBackend(b: CryptoBackend, env: NodeJS.ProcessEnv, log: Logger): CryptoBackend {
  const production = parseBoolEnv('X0TTA6BL4_PRODUCTION', env);
  const allowMock = parseBoolEnv('X0TTA6BL4_ALLOW_MOCK_PQC', env);
  if (!b.insecure) return b;
  if (production && !allowMock) {
    throw new GuardError(
      `production guard: X0TTA6BL4_PRODUCTION is on and X0TTA6BL4_ALLOW_MOCK_PQC is off, so the insecure backend "${b.name}" is refused`,
    );
  }
  if (production) return loudlyInsecure(b, log);
  log.warn({ backend: b.name }, `backend ${b.name} is insecure; it is refused when X0TTA6BL4_PRODUCTION is on`);
  return b;
}

async function loadAuto(env: NodeJS.ProcessEnv, log: Logger): Promise<CryptoBackend> {
  const failures: string[] = [];
  for (const name of ['liboqs', 'noble'] as const) {
    try {
      return await loadBuiltin(name);
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
      log.warn({ backend: name, err: (e as Error).message }, `backend ${name} failed to load`);
    }
  }
  const production = parseBoolEnv('X0TTA6BL4_PRODUCTION', env);
  throw new ConfigError(`${production ? 'production: ' : ''}no real PQC backend could be loaded (${failures.join('; ')})`);
}

/**
 * Loads a backend by built-in name (noble, liboqs, pqclean, mock), `auto`
 * (liboqs, then noble; the default from PQC_BACKEND), or a module path whose
 * default export is a CryptoBackend or an (async) factory of one.
 */
export async function loadBackend(nameOrPath?: string, opts: LoadOptions = {}): Promise<CryptoBackend> {
  const env = opts.env ?? process.env;
  const log = opts.logger ?? defaultLogger;
  // Parse both flags first so a misspelt flag fails even for a real backend.
  parseBoolEnv('X0TTA6BL4_PRODUCTION', env);
  parseBoolEnv('X0TTA6BL4_ALLOW_MOCK_PQC', env);
  const spec = nameOrPath ?? env.PQC_BACKEND ?? 'auto';
  let backend: CryptoBackend;
  if (spec === 'auto') backend = await loadAuto(env, log);
  else if ((BUILTIN_BACKENDS as readonly string[]).includes(spec)) {
    try {
      backend = await loadBuiltin(spec as BuiltinBackend);
    } catch (e) {
      throw new ConfigError(`backend ${spec} failed to load: ${(e as Error).message}`);
    }
  } else backend = await loadModuleBackend(spec, opts.cwd ?? process.cwd());
  const guarded = guardBackend(backend, env, log);
  log.info({ backend: guarded.name, version: guarded.version, requested: spec }, `backend ${guarded.name} selected`);
  return guarded;
}
