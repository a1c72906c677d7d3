// The PQC fallback controller: a three-state machine (pqc -> fallback ->
// expired) that decides whether the classical suite may be used, and that
// makes the node fail closed when fallback has lasted longer than its TTL.
// Fallback is a degraded, temporary mode: it is loud (gauge, critical alert,
// logs), bounded in time, and undone as soon as PQC works again.
import type { Logger } from 'pino';
import { AlertmanagerClient, buildAlert, resolvedAlert } from './alerts.ts';
import type { AlertDelivery, AlertSink, AlertmanagerAlert } from './alerts.ts';
import { DEFAULT_FALLBACK_TTL_SECONDS, DISABLE_PQC_ENV, FALLBACK_EXPIRED_EXIT_CODE, systemClock, validateTtlSeconds } from './config.ts';
import type { FallbackClock } from './config.ts';
import type { FallbackCause, MeshMetrics } from '../metrics.ts';

export { FALLBACK_CAUSES } from '../metrics.ts';
export type { FallbackCause } from '../metrics.ts';
export {
  ALERTMANAGER_URL_ENV,
  DEFAULT_FALLBACK_TTL_SECONDS,
  DISABLE_PQC_ENV,
  FALLBACK_EXPIRED_EXIT_CODE,
  FALLBACK_TTL_ENV,
  MAX_FALLBACK_TTL_SECONDS,
  fallbackFromEnv,
  systemClock,
  validateTtlSeconds,
} from './config.ts';
export type { FallbackClock, FallbackEnvConfig } from './config.ts';

export type FallbackState = 'pqc' | 'fallback' | 'expired';

/** The part of a peer's policy the controller looks at. */
export interface PeerFallbackPolicy {
  allowClassicalFallback: boolean;
}

export interface FallbackExpiry {
  nodeId: string;
  cause: FallbackCause;
  activatedAt: Date;
  expiredAt: Date;
  ttlSeconds: number;
  exitCode: typeof FALLBACK_EXPIRED_EXIT_CODE;
}
/** What the node does at expiry: stop accepting, close sessions, drain, exit 3. */
export type ExpiredListener = (expiry: FallbackExpiry) => void | Promise<void>;

export interface FallbackStatus {
  state: FallbackState;
  cause: FallbackCause | null;
  detail: string | null;
  activatedAt: string | null;
  expiresAt: string | null;
  ttlSeconds: number;
  /** Every PQC failure seen since the process started: activations and failed recovery probes. */
  failures: number;
  activations: number;
  lastAlertDelivery: AlertDelivery | null;
}

export interface FallbackControllerOptions {
  nodeId: string;
  metrics: MeshMetrics;
  logger: Logger;
  ttlSeconds?: number;
  /** Alertmanager base URL; without it (and without alertSink) alerts are only logged. */
  alertUrl?: string;
  allowedAlertHosts?: readonly string[];
  /** Overrides alertUrl; tests and checks pass a recorder. */
  alertSink?: AlertSink;
  /** Alertmanager resolves alerts it has not heard of for resolve_timeout, so a firing alert is re-sent. Default 60; 0 = never. */
  alertRepeatSeconds?: number;
  /** Tried every probeIntervalSeconds while in fallback; true means PQC works again. */
  recoveryProbe?: () => Promise<boolean>;
  probeIntervalSeconds?: number;
  /** The node's /status URL, used as the alerts' generatorURL. */
  statusUrl?: string;
  clock?: FallbackClock;
}

export type FallbackControllerFactory = (options: FallbackControllerOptions) => FallbackController;

export class FallbackController {
  readonly ttlSeconds: number;
  protected readonly nodeId: string;
  protected readonly logger: Logger;
  private readonly metrics: MeshMetrics;
  private readonly clock: FallbackClock;
  private readonly alertSink?: AlertSink;
  private readonly alertRepeatMs: number;
  private readonly recoveryProbe?: () => Promise<boolean>;
  private readonly probeIntervalMs: number;
  private readonly statusUrl?: string;
  private current: FallbackState = 'pqc';
  private cause: FallbackCause | null = null;
  private detail: string | null = null;
  private activatedAtMs: number | null = null;
  private failures = 0;
  private activations = 0;
  private firingAlert: AlertmanagerAlert | null = null;
  private lastAlertDelivery: AlertDelivery | null = null;
  private alertQueue: Promise<void> = Promise.resolve();
  private readonly timers = new Map<'ttl' | 'repeat' | 'probe', unknown>();
  private readonly expiredListeners = new Set<ExpiredListener>();
  private expiry: FallbackExpiry | null = null;

  constructor(options: FallbackControllerOptions) {
    this.nodeId = options.nodeId;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.ttlSeconds = validateTtlSeconds(options.ttlSeconds ?? DEFAULT_FALLBACK_TTL_SECONDS);
    this.alertRepeatMs = (options.alertRepeatSeconds ?? 60) * 1000;
    this.probeIntervalMs = (options.probeIntervalSeconds ?? 30) * 1000;
    this.recoveryProbe = options.recoveryProbe;
    this.statusUrl = options.statusUrl;
    this.alertSink =
      options.alertSink ??
      (options.alertUrl !== undefined
        ? new AlertmanagerClient({
            url: options.alertUrl,
            allowedHosts: options.allowedAlertHosts,
            logger: options.logger,
            onDeliveryFailure: () => this.metrics.alertDeliveryFailed(),
          })
        : undefined);
    this.metrics.setFallback(false);
  }

  get state(): FallbackState {
    return this.current;
  }

  /** PQC is unavailable. The first call of an episode raises the alert and starts the TTL; later calls only count. */
  activate(cause: FallbackCause, detail: string): void {
    this.failures++;
    this.metrics.fallbackFailure(cause);
    if (this.current === 'expired') {
      this.logger.error({ cause, detail }, 'PQC failure after fallback expired; node is shutting down');
      return;
    }
    if (this.current === 'fallback') {
      // The TTL is deliberately not extended: repeated failures must not keep a node classical forever.
      this.logger.warn({ cause, detail, failures: this.failures }, 'PQC still unavailable while in fallback');
      return;
    }
    const now = this.clock.now();
    this.current = 'fallback';
    this.cause = cause;
    this.detail = detail;
    this.activatedAtMs = now;
    this.activations++;
    this.metrics.setFallback(true);
    this.logger.error(
      { cause, detail, ttlSeconds: this.ttlSeconds, expiresAt: new Date(now + this.ttlSeconds * 1000).toISOString() },
      'PQC fallback activated: classical suite allowed where peer policy permits',
    );
    this.firingAlert = buildAlert({
      alertname: 'PqcFallbackActive',
      severity: 'critical',
      node: this.nodeId,
      summary: `Mesh node ${this.nodeId} runs without post-quantum crypto`,
      description: `PQC fallback activated (${cause}): ${detail}. Node fails closed in ${this.ttlSeconds} s unless PQC recovers.`,
      startsAt: new Date(now),
      extraLabels: { cause, service: 'pqc-mesh' },
      generatorURL: this.statusUrl,
    });
    this.queueAlerts([this.firingAlert]);
    this.schedule('ttl', this.ttlSeconds * 1000, () => this.expire());
    this.scheduleRepeat();
    this.scheduleProbe();
  }

  /** Counts a PQC failure without changing state, e.g. a backend self-test failing again. */
  recordPqcFailure(cause: FallbackCause, detail: string): void {
    if (this.current === 'pqc') {
      this.activate(cause, detail);
      return;
    }
    this.failures++;
    this.metrics.fallbackFailure(cause);
    this.logger.warn({ cause, detail, failures: this.failures }, 'PQC failure recorded during fallback');
  }

  /** PQC works again: back to `pqc`, gauge 0, alert resolved. Returns whether the state changed. */
  pqcRecovered(): boolean {
    if (this.current !== 'fallback') return false;
    if (this.cause === 'disabled_by_env') {
      // The variable cannot change under a running process; only a restart re-enables PQC.
      this.logger.warn(`PQC recovery ignored: PQC is disabled by ${DISABLE_PQC_ENV}`);
      return false;
    }
    const now = this.clock.now();
    this.clearTimers();
    this.logger.info({ cause: this.cause, fallbackSeconds: (now - (this.activatedAtMs ?? now)) / 1000 }, 'PQC recovered; fallback ended');
    if (this.firingAlert) this.queueAlerts([resolvedAlert(this.firingAlert, new Date(now))]);
    this.current = 'pqc';
    this.cause = null;
    this.detail = null;
    this.activatedAtMs = null;
    this.firingAlert = null;
    this.metrics.setFallback(false);
    return true;
  }

  /** The classical suite is allowed only during a live fallback and only with a peer whose policy permits it. */
  allowClassical(peerPolicy: PeerFallbackPolicy): boolean {
    return this.current === 'fallback' && peerPolicy.allowClassicalFallback === true;
  }

  /** False once fallback expired: the node must refuse every new session (reason fallback_expired). */
  acceptsNewSessions(): boolean {
    return this.current !== 'expired';
  }

  /** Registers what to do at expiry; a listener added after expiry runs at once. Returns an unsubscribe function. */
  onExpired(listener: ExpiredListener): () => void {
    this.expiredListeners.add(listener);
    if (this.expiry) this.runListener(listener, this.expiry);
    return () => this.expiredListeners.delete(listener);
  }

  status(): FallbackStatus {
    const activatedAt = this.activatedAtMs;
    return {
      state: this.current,
      cause: this.cause,
      detail: this.detail,
      activatedAt: activatedAt === null ? null : new Date(activatedAt).toISOString(),
      expiresAt: activatedAt === null ? null : new Date(activatedAt + this.ttlSeconds * 1000).toISOString(),
      ttlSeconds: this.ttlSeconds,
      failures: this.failures,
      activations: this.activations,
      lastAlertDelivery: this.lastAlertDelivery,
    };
  }

  /** Resolves once every alert queued so far has been sent (or given up on). */
  whenAlertsSent(): Promise<void> {
    return this.alertQueue;
  }

  /** Stops timers (node shutdown, tests). Does not change the state. */
  close(): void {
    this.clearTimers();
  }

  /**
   * The TTL ran out: fail closed. This is the seam mutants override, so the
   * whole fail-closed action lives here and nowhere else.
   */
  protected expire(): void {
    if (this.current !== 'fallback' || this.cause === null || this.activatedAtMs === null) return;
    const now = this.clock.now();
    this.clearTimers();
    this.current = 'expired';
    // The gauge stays 1: the node is still without PQC while it drains.
    this.metrics.setFallback(true);
    this.expiry = {
      nodeId: this.nodeId,
      cause: this.cause,
      activatedAt: new Date(this.activatedAtMs),
      expiredAt: new Date(now),
      ttlSeconds: this.ttlSeconds,
      exitCode: FALLBACK_EXPIRED_EXIT_CODE,
    };
    this.logger.fatal(
      { cause: this.cause, ttlSeconds: this.ttlSeconds, exitCode: FALLBACK_EXPIRED_EXIT_CODE },
      'PQC fallback TTL expired: refusing new sessions, closing existing ones, exiting after drain',
    );
    this.queueAlerts([
      buildAlert({
        alertname: 'PqcFallbackExpired',
        severity: 'critical',
        node: this.nodeId,
        summary: `Mesh node ${this.nodeId} fallback TTL expired; node is shutting down`,
        description: `PQC was unavailable (${this.cause}) for ${this.ttlSeconds} s. The node refuses new sessions, closes existing ones and exits with code ${FALLBACK_EXPIRED_EXIT_CODE} after draining.`,
        startsAt: new Date(now),
        extraLabels: { cause: this.cause, service: 'pqc-mesh' },
        generatorURL: this.statusUrl,
      }),
    ]);
    for (const listener of this.expiredListeners) this.runListener(listener, this.expiry);
  }

  private runListener(listener: ExpiredListener, expiry: FallbackExpiry): void {
    const report = (error: unknown): void => {
      this.logger.error({ err: error }, 'fallback expiry listener failed');
    };
    try {
      void Promise.resolve(listener(expiry)).catch(report);
    } catch (error) {
      report(error);
    }
  }

  private queueAlerts(alerts: AlertmanagerAlert[]): void {
    const sink = this.alertSink;
    if (!sink) {
      this.logger.warn({ alerts: alerts.map((a) => a.labels.alertname) }, 'no alert URL configured; alert only logged');
      return;
    }
    // Chained so a resolve can never overtake the firing alert it resolves.
    this.alertQueue = this.alertQueue.then(async () => {
      try {
        this.lastAlertDelivery = await sink.send(alerts);
      } catch (error) {
        this.lastAlertDelivery = { delivered: false, attempts: 0, error: String(error) };
        this.metrics.alertDeliveryFailed();
      }
    });
  }

  private schedule(name: 'ttl' | 'repeat' | 'probe', delayMs: number, action: () => void): void {
    const previous = this.timers.get(name);
    if (previous !== undefined) this.clock.clearTimeout(previous);
    this.timers.set(
      name,
      this.clock.setTimeout(() => {
        this.timers.delete(name);
        action();
      }, delayMs),
    );
  }

  private scheduleRepeat(): void {
    if (this.alertRepeatMs <= 0) return;
    this.schedule('repeat', this.alertRepeatMs, () => {
      if (this.current !== 'fallback' || !this.firingAlert) return;
      this.queueAlerts([this.firingAlert]);
      this.scheduleRepeat();
    });
  }

  private scheduleProbe(): void {
    const probe = this.recoveryProbe;
    if (!probe || this.probeIntervalMs <= 0 || this.cause === 'disabled_by_env') return;
    const episode = this.activations;
    this.schedule('probe', this.probeIntervalMs, () => {
      void probe()
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'PQC recovery probe threw');
          return false;
        })
        .then((works) => {
          // A slow probe must not act on a later fallback episode than the one it probed for.
          if (this.current !== 'fallback' || this.activations !== episode) return;
          if (works) {
            this.pqcRecovered();
          } else {
            this.recordPqcFailure('recovery_probe_failed', 'recovery probe reported PQC still unavailable');
            this.scheduleProbe();
          }
        });
    });
  }

  private clearTimers(): void {
    for (const handle of this.timers.values()) this.clock.clearTimeout(handle);
    this.timers.clear();
  }
}

export function createFallbackController(options: FallbackControllerOptions): FallbackController {
  return new FallbackController(options);
}
