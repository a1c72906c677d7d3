// Configuration of the PQC fallback: environment variables, TTL bounds and the
// clock seam. Kept apart from the state machine in fallback.ts, which re-exports
// everything here.
import { parseBoolEnv } from '../../crypto/select.ts';
import { ConfigError } from '../../errors.ts';

/** Exit code of a node whose fallback TTL ran out, after its graceful drain. */
export const FALLBACK_EXPIRED_EXIT_CODE = 3;
export const DEFAULT_FALLBACK_TTL_SECONDS = 3600;
/** Node timers overflow past 2^31-1 ms (and then fire at once), so longer TTLs are refused. */
export const MAX_FALLBACK_TTL_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Truthy (true/1/yes/on, any case) forces fallback; falsy or unset leaves PQC on; anything else is a ConfigError. */
export const DISABLE_PQC_ENV = 'X0TTA6BL4_DISABLE_PQC';
/** Fallback TTL in seconds; overrides the default of 3600. */
export const FALLBACK_TTL_ENV = 'X0TTA6BL4_FALLBACK_TTL_SECONDS';
/** Alertmanager base URL for fallback alerts. */
export const ALERTMANAGER_URL_ENV = 'X0TTA6BL4_ALERTMANAGER_URL';

export function validateTtlSeconds(ttlSeconds: number, source = 'fallback TTL'): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_FALLBACK_TTL_SECONDS) {
    throw new ConfigError(`${source} must be a number of seconds in (0, ${MAX_FALLBACK_TTL_SECONDS}], got ${ttlSeconds}`);
  }
  return ttlSeconds;
}

export interface FallbackEnvConfig {
  pqcDisabled: boolean;
  ttlSeconds?: number;
  alertUrl?: string;
}

/** Reads the fallback variables; throws ConfigError naming the variable on any value it cannot take. */
export function fallbackFromEnv(env: NodeJS.ProcessEnv = process.env): FallbackEnvConfig {
  // Same strict parser as the production guard, so both switches accept the same spellings.
  const config: FallbackEnvConfig = { pqcDisabled: parseBoolEnv(DISABLE_PQC_ENV, env) };
  const ttl = env[FALLBACK_TTL_ENV];
  if (ttl !== undefined && ttl !== '') {
    if (!/^\d+(\.\d+)?$/.test(ttl)) {
      throw new ConfigError(`${FALLBACK_TTL_ENV}=${JSON.stringify(ttl)} is not a number of seconds`);
    }
    config.ttlSeconds = validateTtlSeconds(Number(ttl), FALLBACK_TTL_ENV);
  }
  const alertUrl = env[ALERTMANAGER_URL_ENV];
  if (alertUrl !== undefined && alertUrl !== '') config.alertUrl = alertUrl;
  return config;
}

/** Injectable time source so tests run an hour-long TTL without waiting. */
export interface FallbackClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time; timers are unref'd so a pending TTL never keeps a finished process alive. */
export const systemClock: FallbackClock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
