import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { ManualClock, RecordingAlertSink } from '../../suites/fallback/kit.ts';
import {
  DEFAULT_FALLBACK_TTL_SECONDS,
  FALLBACK_EXPIRED_EXIT_CODE,
  FallbackController,
  fallbackFromEnv,
} from '../../src/mesh/fallback/controller.ts';
import type { FallbackControllerOptions, FallbackExpiry } from '../../src/mesh/fallback/controller.ts';
import { MeshMetrics } from '../../src/mesh/metrics.ts';
import { startAlertReceiver } from '../support/alert-receiver.ts';
import type { AlertReceiver } from '../support/alert-receiver.ts';

const silent = pino({ level: 'silent' });
const ALLOWS = { allowClassicalFallback: true };
const FORBIDS = { allowClassicalFallback: false };

async function gauge(metrics: MeshMetrics, name: string): Promise<string | undefined> {
  return (await metrics.exposition()).split('\n').find((l) => l.startsWith(`${name} `));
}

function make(overrides: Partial<FallbackControllerOptions> = {}): {
  controller: FallbackController;
  clock: ManualClock;
  metrics: MeshMetrics;
  sink: RecordingAlertSink;
} {
  const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
  const metrics = new MeshMetrics();
  const sink = new RecordingAlertSink();
  const controller = new FallbackController({ nodeId: 'n1', metrics, logger: silent, clock, alertSink: sink, ...overrides });
  return { controller, clock, metrics, sink };
}

/** Lets promise callbacks (probe results, alert queue) run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let receiver: AlertReceiver | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await receiver?.close();
  receiver = undefined;
});

describe('fallbackFromEnv', () => {
  const parse = (value: string | undefined): boolean =>
    fallbackFromEnv(value === undefined ? {} : { X0TTA6BL4_DISABLE_PQC: value }).pqcDisabled;

  it.each(['true', 'TRUE', 'True', '1', 'yes', 'YES', 'Yes', 'on', 'ON', 'oN'])('%j forces fallback', (value) => {
    expect(parse(value)).toBe(true);
  });

  it.each(['false', 'FALSE', '0', 'no', 'No', 'off', 'OFF', ''])('%j leaves PQC on', (value) => {
    expect(parse(value)).toBe(false);
  });

  it('unset leaves PQC on', () => {
    expect(parse(undefined)).toBe(false);
  });

  it.each(['enabled', 'y', 'n', '2', 'tru', 'disable', 'nope'])('%j is a configuration error naming the variable', (value) => {
    expect(() => parse(value)).toThrow(ConfigError);
    expect(() => parse(value)).toThrow(/X0TTA6BL4_DISABLE_PQC/);
  });

  it('reads the TTL and alert URL, refusing bad TTLs by name', () => {
    expect(fallbackFromEnv({ X0TTA6BL4_FALLBACK_TTL_SECONDS: '120', X0TTA6BL4_ALERTMANAGER_URL: 'http://127.0.0.1:9093' })).toEqual({
      pqcDisabled: false,
      ttlSeconds: 120,
      alertUrl: 'http://127.0.0.1:9093',
    });
    for (const bad of ['abc', '0', '-5', '1e3', '99999999']) {
      expect(() => fallbackFromEnv({ X0TTA6BL4_FALLBACK_TTL_SECONDS: bad })).toThrow(/X0TTA6BL4_FALLBACK_TTL_SECONDS/);
    }
  });
});

describe('FallbackController', () => {
  it('starts in pqc: no classical suite, sessions accepted, gauge 0, default TTL 3600 s', async () => {
    const { controller, metrics } = make();
    expect(controller.state).toBe('pqc');
    expect(controller.ttlSeconds).toBe(DEFAULT_FALLBACK_TTL_SECONDS);
    expect(DEFAULT_FALLBACK_TTL_SECONDS).toBe(3600);
    expect(controller.allowClassical(ALLOWS)).toBe(false);
    expect(controller.acceptsNewSessions()).toBe(true);
    expect(await gauge(metrics, 'pqc_fallback_enabled')).toBe('pqc_fallback_enabled 0');
    expect(controller.status()).toMatchObject({ state: 'pqc', cause: null, activatedAt: null, expiresAt: null, failures: 0 });
  });

  it('forced fallback with a real Alertmanager receiver: gauge, one critical alert, status, resolve on recovery', async () => {
    receiver = await startAlertReceiver();
    const { controller, clock, metrics } = make({
      alertSink: undefined,
      alertUrl: receiver.url,
      statusUrl: 'http://127.0.0.1:9100/status',
      alertRepeatSeconds: 0,
    });
    controller.activate('backend_load_failed', 'liboqs wasm failed to instantiate');
    await controller.whenAlertsSent();
    expect(controller.state).toBe('fallback');
    expect(await gauge(metrics, 'pqc_fallback_enabled')).toBe('pqc_fallback_enabled 1');
    expect(controller.allowClassical(ALLOWS)).toBe(true);
    expect(controller.allowClassical(FORBIDS)).toBe(false);
    expect(controller.status()).toMatchObject({
      state: 'fallback',
      cause: 'backend_load_failed',
      activatedAt: '2030-01-01T00:00:00.000Z',
      expiresAt: '2030-01-01T01:00:00.000Z',
      failures: 1,
      lastAlertDelivery: { delivered: true },
    });

    const [firingPost] = receiver.alertPosts() as Array<Array<Record<string, any>>>;
    expect(firingPost).toHaveLength(1);
    const firing = firingPost[0];
    expect(firing.labels).toMatchObject({ alertname: 'PqcFallbackActive', severity: 'critical', node: 'n1', cause: 'backend_load_failed' });
    expect(firing.annotations.summary).toMatch(/n1/);
    expect(firing.annotations.description).toMatch(/liboqs wasm failed/);
    expect(firing.startsAt).toBe(new Date(Date.parse(firing.startsAt)).toISOString());
    expect(firing.startsAt).toBe('2030-01-01T00:00:00.000Z');
    expect(firing.endsAt).toBeUndefined();
    expect(firing.generatorURL).toBe('http://127.0.0.1:9100/status');

    clock.advance(600_000);
    expect(controller.pqcRecovered()).toBe(true);
    await controller.whenAlertsSent();
    expect(controller.state).toBe('pqc');
    expect(await gauge(metrics, 'pqc_fallback_enabled')).toBe('pqc_fallback_enabled 0');
    expect(controller.allowClassical(ALLOWS)).toBe(false);
    const posts = receiver.alertPosts() as Array<Array<Record<string, any>>>;
    expect(posts).toHaveLength(2);
    expect(posts[1][0]).toEqual({ ...firing, endsAt: '2030-01-01T00:10:00.000Z' });
    clock.advance(3_600_000);
    expect(controller.state).toBe('pqc');
  });

  it('counts every failure but raises one alert and never extends the TTL', async () => {
    const { controller, clock, metrics, sink } = make({ ttlSeconds: 100, alertRepeatSeconds: 0 });
    controller.activate('backend_load_failed', 'first');
    clock.advance(50_000);
    controller.activate('backend_self_test_failed', 'second');
    controller.recordPqcFailure('backend_self_test_failed', 'third');
    await controller.whenAlertsSent();
    expect(sink.alerts).toHaveLength(1);
    expect(controller.status()).toMatchObject({ failures: 3, activations: 1, cause: 'backend_load_failed' });
    const text = await metrics.exposition();
    expect(text).toContain('pqc_fallback_failures_total{cause="backend_load_failed"} 1');
    expect(text).toContain('pqc_fallback_failures_total{cause="backend_self_test_failed"} 2');
    clock.advance(50_000);
    expect(controller.state).toBe('expired');
  });

  it('at TTL expiry fails closed: expired, no classical, no sessions, listeners get exit code 3, expiry alert', async () => {
    const { controller, clock, metrics, sink } = make({ ttlSeconds: 3600 });
    const expiries: FallbackExpiry[] = [];
    controller.onExpired(() => {
      throw new Error('a broken listener must not stop the others');
    });
    controller.onExpired((expiry) => {
      expiries.push(expiry);
    });
    controller.activate('disabled_by_env', 'X0TTA6BL4_DISABLE_PQC=true');
    clock.advance(3_599_999);
    expect(controller.state).toBe('fallback');
    clock.advance(1);
    await controller.whenAlertsSent();
    expect(controller.state).toBe('expired');
    expect(controller.allowClassical(ALLOWS)).toBe(false);
    expect(controller.acceptsNewSessions()).toBe(false);
    expect(expiries).toEqual([
      expect.objectContaining({ nodeId: 'n1', cause: 'disabled_by_env', ttlSeconds: 3600, exitCode: FALLBACK_EXPIRED_EXIT_CODE }),
    ]);
    expect(FALLBACK_EXPIRED_EXIT_CODE).toBe(3);
    expect(expiries[0].expiredAt.toISOString()).toBe('2030-01-01T01:00:00.000Z');
    expect(await gauge(metrics, 'pqc_fallback_enabled')).toBe('pqc_fallback_enabled 1');
    const expired = sink.alerts.find((a) => a.labels.alertname === 'PqcFallbackExpired');
    expect(expired?.labels.severity).toBe('critical');
    expect(expired?.startsAt).toBe('2030-01-01T01:00:00.000Z');
    // Terminal: neither recovery nor new failures revive it; late listeners still hear about it.
    expect(controller.pqcRecovered()).toBe(false);
    controller.activate('backend_load_failed', 'late');
    expect(controller.state).toBe('expired');
    const late = vi.fn();
    controller.onExpired(late);
    await settle();
    expect(late).toHaveBeenCalledTimes(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not recover while PQC is disabled by the environment', () => {
    const { controller } = make();
    controller.activate('disabled_by_env', 'X0TTA6BL4_DISABLE_PQC=1');
    expect(controller.pqcRecovered()).toBe(false);
    expect(controller.state).toBe('fallback');
  });

  it('restores itself through the recovery probe, counting failed probes', async () => {
    const answers = [false, true];
    const probe = vi.fn(async () => answers.shift() ?? true);
    const { controller, clock, metrics, sink } = make({ recoveryProbe: probe, probeIntervalSeconds: 30, alertRepeatSeconds: 0 });
    controller.activate('backend_load_failed', 'pqclean addon missing');
    clock.advance(30_000);
    await settle();
    expect(controller.state).toBe('fallback');
    expect(controller.status().failures).toBe(2);
    expect(await metrics.exposition()).toContain('pqc_fallback_failures_total{cause="recovery_probe_failed"} 1');
    clock.advance(30_000);
    await settle();
    expect(probe).toHaveBeenCalledTimes(2);
    expect(controller.state).toBe('pqc');
    await controller.whenAlertsSent();
    expect(sink.alerts.map((a) => a.endsAt !== undefined)).toEqual([false, true]);
  });

  it('re-sends the firing alert so Alertmanager does not auto-resolve it', async () => {
    const { controller, clock, sink } = make({ alertRepeatSeconds: 60, ttlSeconds: 200 });
    controller.activate('backend_load_failed', 'x');
    clock.advance(180_000);
    await controller.whenAlertsSent();
    expect(sink.alerts.map((a) => a.labels.alertname)).toEqual(Array(4).fill('PqcFallbackActive'));
    clock.advance(20_000);
    await controller.whenAlertsSent();
    expect(sink.alerts.at(-1)?.labels.alertname).toBe('PqcFallbackExpired');
  });

  it('counts an undeliverable alert without throwing', async () => {
    receiver = await startAlertReceiver(() => ({ status: 400 }));
    const { controller, metrics } = make({ alertSink: undefined, alertUrl: receiver.url });
    controller.activate('backend_load_failed', 'x');
    await controller.whenAlertsSent();
    expect(controller.status().lastAlertDelivery).toMatchObject({ delivered: false, status: 400 });
    expect(await metrics.exposition()).toContain('mesh_alert_delivery_failures_total 1');
  });

  it('refuses a bad TTL or a non-loopback alert URL at construction', () => {
    expect(() => make({ ttlSeconds: 0 })).toThrow(ConfigError);
    expect(() => make({ ttlSeconds: 40 * 24 * 3600 })).toThrow(/fallback TTL/);
    expect(() => make({ alertSink: undefined, alertUrl: 'http://203.0.113.9:9093' })).toThrow(ConfigError);
  });

  it('works on the real clock under vitest fake timers (default 1 h TTL)', () => {
    vi.useFakeTimers({ now: Date.parse('2030-06-01T00:00:00Z') });
    const controller = new FallbackController({ nodeId: 'n2', metrics: new MeshMetrics(), logger: silent, alertRepeatSeconds: 0 });
    controller.activate('backend_load_failed', 'x');
    vi.advanceTimersByTime(3_599_000);
    expect(controller.state).toBe('fallback');
    vi.advanceTimersByTime(1_000);
    expect(controller.state).toBe('expired');
    expect(controller.status().expiresAt).toBe('2030-06-01T01:00:00.000Z');
  });
});
