// Alertmanager v2 alerts: building them, and posting them to
// `POST {base}/api/v2/alerts` with a time bound and a few retries.
// Posting never throws into the caller: an alert that cannot be delivered
// must not take the node down with it, so the outcome comes back as a value
// and is counted.
import type { Logger } from 'pino';
import { ConfigError } from '../../errors.ts';

export type AlertSeverity = 'critical' | 'warning' | 'info';

/** One element of the JSON array Alertmanager's v2 API accepts (postableAlert). */
export interface AlertmanagerAlert {
  labels: { alertname: string; severity: AlertSeverity; node: string; [label: string]: string };
  annotations: { summary: string; description: string; [annotation: string]: string };
  /** RFC 3339 / ISO 8601 instant. */
  startsAt: string;
  /** Set to "now" to resolve the alert; unset while it is firing. */
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertSpec {
  alertname: string;
  severity: AlertSeverity;
  /** Mesh node id; part of the alert's identity, so each node's alert is its own. */
  node: string;
  summary: string;
  description: string;
  startsAt: Date;
  extraLabels?: Record<string, string>;
  /** Where an operator can see more, e.g. the node's /status URL. */
  generatorURL?: string;
}

export function buildAlert(spec: AlertSpec): AlertmanagerAlert {
  const alert: AlertmanagerAlert = {
    labels: { ...spec.extraLabels, alertname: spec.alertname, severity: spec.severity, node: spec.node },
    annotations: { summary: spec.summary, description: spec.description },
    startsAt: spec.startsAt.toISOString(),
  };
  if (spec.generatorURL !== undefined) alert.generatorURL = spec.generatorURL;
  return alert;
}

/**
 * The same alert marked resolved. Alertmanager matches alerts by their label
 * set, so labels must be exactly those of the firing alert.
 */
export function resolvedAlert(firing: AlertmanagerAlert, endsAt: Date): AlertmanagerAlert {
  return {
    ...firing,
    labels: { ...firing.labels },
    annotations: { ...firing.annotations },
    endsAt: endsAt.toISOString(),
  };
}

export interface AlertDelivery {
  delivered: boolean;
  attempts: number;
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** Why the last attempt failed, one line. */
  error?: string;
}

/** Anything that can deliver alerts; the controller depends on this, tests may pass a recorder. */
export interface AlertSink {
  send(alerts: readonly AlertmanagerAlert[]): Promise<AlertDelivery>;
}

export interface AlertmanagerClientOptions {
  /** Alertmanager base URL, e.g. http://127.0.0.1:9093 (a full .../api/v2/alerts URL is accepted too). */
  url: string;
  /**
   * Non-loopback hosts the operator explicitly allows ("am.example:9093" or
   * "am.example"). Loopback is always allowed; anything else is refused so a
   * config typo or injected value cannot make the node post to arbitrary hosts.
   */
  allowedHosts?: readonly string[];
  /** Per-attempt time bound. Default 2000 ms. */
  timeoutMs?: number;
  /** Total attempts including the first. Default 3. */
  attempts?: number;
  /** Backoff before retry n is backoffMs * 2^(n-1). Default 250 ms. */
  backoffMs?: number;
  logger?: Logger;
  /** Called once per send that failed after all attempts (e.g. to count it in metrics). */
  onDeliveryFailure?: (delivery: AlertDelivery) => void;
  /** Seams for tests. */
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const ALERTS_PATH = '/api/v2/alerts';

function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Validates the configured URL and returns the exact alerts endpoint. Throws ConfigError naming the problem. */
export function alertsEndpoint(baseUrl: string, allowedHosts: readonly string[] = []): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`alert URL ${JSON.stringify(baseUrl)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`alert URL ${url.origin} must use http or https, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    // fetch refuses URLs with credentials, and they would end up in logs.
    throw new ConfigError('alert URL must not contain credentials');
  }
  const allowed = isLoopbackHostname(url.hostname) || allowedHosts.includes(url.host) || allowedHosts.includes(url.hostname);
  if (!allowed) {
    throw new ConfigError(`alert URL host ${url.host} is neither loopback nor listed in the allowed alert hosts`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError('alert URL must not have a query or fragment');
  }
  if (!url.pathname.endsWith(ALERTS_PATH)) {
    url.pathname = url.pathname.replace(/\/+$/, '') + ALERTS_PATH;
  }
  return url;
}

function errorLine(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return `${error.name}: ${error.message}${causeText}`;
  }
  return String(error);
}

/** Retry only what might succeed later: network errors, timeouts, 429 and 5xx. */
function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export class AlertmanagerClient implements AlertSink {
  readonly endpoint: URL;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly logger?: Logger;
  private readonly onDeliveryFailure?: (delivery: AlertDelivery) => void;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private failedSends = 0;

  /** Throws ConfigError for a URL that is invalid or not allowed: that is a startup error, not a delivery one. */
  constructor(options: AlertmanagerClientOptions) {
    this.endpoint = alertsEndpoint(options.url, options.allowedHosts);
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.attempts = Math.max(1, Math.floor(options.attempts ?? 3));
    this.backoffMs = options.backoffMs ?? 250;
    this.logger = options.logger;
    this.onDeliveryFailure = options.onDeliveryFailure;
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  }

  /** Sends that failed after every attempt, since this client was made. */
  get failures(): number {
    return this.failedSends;
  }

  async send(alerts: readonly AlertmanagerAlert[]): Promise<AlertDelivery> {
    const body = JSON.stringify(alerts);
    let last: AlertDelivery = { delivered: false, attempts: 0, error: 'not attempted' };
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await this.sleep(this.backoffMs * 2 ** (attempt - 2));
      last = await this.attempt(body, attempt);
      if (last.delivered) return last;
      if (last.status !== undefined && !isRetryableStatus(last.status)) break;
    }
    this.failedSends++;
    this.logger?.warn(
      { endpoint: this.endpoint.href, attempts: last.attempts, status: last.status, error: last.error },
      'alert delivery to Alertmanager failed',
    );
    try {
      this.onDeliveryFailure?.(last);
    } catch (error) {
      this.logger?.error({ error: errorLine(error) }, 'alert delivery failure hook threw');
    }
    return last;
  }

  private async attempt(body: string, attempt: number): Promise<AlertDelivery> {
    try {
      const response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        // Never follow a redirect: the node posts only to the configured endpoint.
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Drain the body so the keep-alive socket is released; its content is irrelevant.
      const text = await response.text().catch(() => '');
      if (response.ok) return { delivered: true, attempts: attempt, status: response.status };
      return {
        delivered: false,
        attempts: attempt,
        status: response.status,
        error: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      };
    } catch (error) {
      return { delivered: false, attempts: attempt, error: errorLine(error) };
    }
  }
}
