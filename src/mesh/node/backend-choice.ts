// Which crypto backend a node runs, and what a backend that fails to load
// means: exit 2 in production (or with fallback.onBackendFailure: refuse),
// classical fallback otherwise, with the reason carried into the alert.
import type { Logger } from 'pino';
import type { CryptoBackend } from '../../crypto/backend.ts';
import { createNobleBackend } from '../../crypto/noble.ts';
import { loadBackend } from '../../crypto/select.ts';
import { backendFromEnv, productionMode } from '../../crypto/switches.ts';
import { ConfigError, GuardError } from '../../errors.ts';
import type { NodeConfig } from './config.ts';

export interface BackendChoice {
  backend: CryptoBackend;
  /** Set when the configured backend failed to load and the node starts in classical fallback. */
  loadFailure?: string;
}

/** config.backend, else PQC_BACKEND, else auto; `override` (tests, benches) wins over all. */
export async function chooseBackend(c: NodeConfig, env: NodeJS.ProcessEnv, log: Logger, override?: CryptoBackend): Promise<BackendChoice> {
  const production = productionMode(env);
  const spec = c.backend ?? backendFromEnv(env) ?? 'auto';
  try {
    // The production guard runs inside loadBackend; a refusal stops the node.
    return { backend: override ?? (await loadBackend(spec, { env, logger: log })) };
  } catch (e) {
    if (e instanceof GuardError) throw e;
    const onFailure = c.fallback.onBackendFailure ?? (production ? 'refuse' : 'fallback');
    if (onFailure === 'refuse') {
      throw new ConfigError(
        `backend ${spec} failed to load (${(e as Error).message}); refusing to start in classical fallback` +
          `${production ? ' because X0TTA6BL4_PRODUCTION is on' : ''} (fallback.onBackendFailure: fallback would allow it)`,
      );
    }
    return {
      // Certificates are still ML-DSA-65: check them with the pure-JS backend while in fallback.
      backend: createNobleBackend(),
      loadFailure: `backend ${spec} failed to load: ${(e as Error).message} (fallback.onBackendFailure: ${c.fallback.onBackendFailure ?? 'unset, not production'})`,
    };
  }
}
