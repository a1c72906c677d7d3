// The process's switches: every `X0TTA6BL4_*` variable and `PQC_BACKEND`.
// A misspelt name or value must stop the command (exit 2) rather than read as
// "off" or "default", because each of them can weaken or disable PQC.
import { ConfigError } from '../errors.ts';
import { BUILTIN_BACKENDS, parseBoolEnv } from './select.ts';

/** Boolean switches: true/1/yes/on or false/0/no/off/empty, any case. */
export const BOOLEAN_SWITCHES = ['X0TTA6BL4_PRODUCTION', 'X0TTA6BL4_ALLOW_MOCK_PQC', 'X0TTA6BL4_DISABLE_PQC'] as const;
/** Valued switches, checked by their own parsers (src/mesh/fallback/config.ts). */
export const VALUE_SWITCHES = ['X0TTA6BL4_FALLBACK_TTL_SECONDS', 'X0TTA6BL4_ALERTMANAGER_URL'] as const;
const KNOWN = new Set<string>([...BOOLEAN_SWITCHES, ...VALUE_SWITCHES]);
const PREFIX = 'X0TTA6BL4_';

export const BACKEND_SPEC_HELP = `auto, ${BUILTIN_BACKENDS.join(', ')} or a module path (containing "/" or ".")`;

/** A backend spec is `auto`, a built-in name, or a path; a bare unknown word is a typo. */
export function isBackendSpec(spec: string): boolean {
  return spec === 'auto' || (BUILTIN_BACKENDS as readonly string[]).includes(spec) || spec.includes('/') || spec.includes('.');
}

/** The backend named by PQC_BACKEND, or undefined when unset or empty; a typo is a ConfigError. */
export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.PQC_BACKEND;
  if (v === undefined || v === '') return undefined;
  if (!isBackendSpec(v)) throw new ConfigError(`PQC_BACKEND=${JSON.stringify(v)} is not a backend; use ${BACKEND_SPEC_HELP}`);
  return v;
}

/**
 * Checks every switch before a command does anything: an unknown
 * `X0TTA6BL4_*` name, a boolean switch with another value, or a PQC_BACKEND
 * that names no backend is a ConfigError naming the variable and what it accepts.
 */
export function checkSwitches(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of Object.keys(env)
    .filter((k) => k.startsWith(PREFIX))
    .sort()) {
    if (!KNOWN.has(name)) throw new ConfigError(`unknown switch ${name}; the recognised ones are ${[...KNOWN].join(', ')}`);
  }
  for (const name of BOOLEAN_SWITCHES) parseBoolEnv(name, env);
  backendFromEnv(env);
}

/** Is the production switch on? (checked strictly) */
export function productionMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return parseBoolEnv('X0TTA6BL4_PRODUCTION', env);
}
