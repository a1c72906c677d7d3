// FallbackController, pinned line by line for the mutation run
// (docs/mutation.md): what it logs at each step (level, message, fields),
// the exact alerts it sends, the timers it leaves, the probe's episode
// guard and the listeners' lifecycle. Manual clock, recording sink, no
// network; test/mesh/fallback.test.ts has the end-to-end behaviour.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FallbackController, type FallbackControllerOptions } from '../../src/mesh/fallback/controller.ts';

/** Opens the expiry seam (the one mutants override) so a test can call it out of turn. */
class OpenController extends FallbackController {
  expireNow(): void {
    this.expire();
  }
}
import type { AlertSink } from '../../src/mesh/fallback/alerts.ts';
import { MeshMetrics } from '../../src/mesh/metrics.ts';
import { ManualClock, RecordingAlertSink } from '../../suites/fallback/kit.ts';

const T0 = Date.parse('2030-01-01T00:00:00Z');

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const LEVEL = { info: 30, warn: 40, error: 50, fatal: 60 } as const;

function make(overrides: Partial<FallbackControllerOptions> = {}) {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'trace', base: undefined, timestamp: false }, { write: (s: string) => lines.push(JSON.parse(s)) });
  const clock = new ManualClock(T0);
  const metrics = new MeshMetrics();
  const sink = new RecordingAlertSink();
  const controller = new OpenController({ nodeId: 'n1', metrics, logger, clock, alertSink: sink, ...overrides });
  return { controller, clock, metrics, sink, lines };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function metric(metrics: MeshMetrics, line: string): Promise<string | undefined> {
  return (await metrics.exposition()).split('\n').find((l) => l.startsWith(line));
}

describe('what the controller logs', () => {
  it('activation, repeated failures, recovery: one line each, with their fields', async () => {
    const { controller, clock, lines } = make({ ttlSeconds: 100, alertRepeatSeconds: 0 });
    controller.activate('backend_load_failed', 'wasm missing');
    expect(lines).toEqual([
      {
        level: LEVEL.error,
        msg: 'PQC fallback activated: classical suite allowed where peer policy permits',
        cause: 'backend_load_failed',
        detail: 'wasm missing',
        ttlSeconds: 100,
        expiresAt: '2030-01-01T00:01:40.000Z',
      },
    ]);
    controller.activate('backend_self_test_failed', 'again');
    controller.recordPqcFailure('backend_self_test_failed', 'third');
    expect(lines.slice(1)).toEqual([
      {
        level: LEVEL.warn,
        msg: 'PQC still unavailable while in fallback',
        cause: 'backend_self_test_failed',
        detail: 'again',
        failures: 2,
      },
      { level: LEVEL.warn, msg: 'PQC failure recorded during fallback', cause: 'backend_self_test_failed', detail: 'third', failures: 3 },
    ]);
    clock.advance(40_000);
    expect(controller.pqcRecovered()).toBe(true);
    expect(lines.slice(3)).toEqual([
      { level: LEVEL.info, msg: 'PQC recovered; fallback ended', cause: 'backend_load_failed', fallbackSeconds: 40 },
    ]);
  });

  it('expiry is fatal with its exit code; a failure after it is an error; a broken listener is logged', async () => {
    const { controller, clock, lines } = make({ ttlSeconds: 10, alertRepeatSeconds: 0 });
    controller.onExpired(() => Promise.reject(new Error('listener broke')));
    controller.activate('disabled_by_env', 'X0TTA6BL4_DISABLE_PQC=true');
    expect(controller.pqcRecovered()).toBe(false);
    expect(lines[1]).toEqual({ level: LEVEL.warn, msg: 'PQC recovery ignored: PQC is disabled by X0TTA6BL4_DISABLE_PQC' });
    clock.advance(10_000);
    await settle();
    expect(lines[2]).toEqual({
      level: LEVEL.fatal,
      msg: 'PQC fallback TTL expired: refusing new sessions, closing existing ones, exiting after drain',
      cause: 'disabled_by_env',
      ttlSeconds: 10,
      exitCode: 3,
    });
    expect(lines[3]).toMatchObject({ level: LEVEL.error, msg: 'fallback expiry listener failed', err: { message: 'listener broke' } });
    controller.activate('backend_load_failed', 'late');
    expect(lines[4]).toEqual({
      level: LEVEL.error,
      msg: 'PQC failure after fallback expired; node is shutting down',
      cause: 'backend_load_failed',
      detail: 'late',
    });
    expect(lines).toHaveLength(5);
  });

  it('a listener that throws at once is logged like one that rejects; a failed probe is recorded with its detail', async () => {
    const { controller, clock, lines } = make({
      ttlSeconds: 60,
      alertRepeatSeconds: 0,
      probeIntervalSeconds: 10,
      recoveryProbe: async () => false,
    });
    controller.onExpired(() => {
      throw new Error('thrown at once');
    });
    controller.activate('backend_load_failed', 'x');
    clock.advance(10_000);
    await settle();
    expect(lines[1]).toEqual({
      level: LEVEL.warn,
      msg: 'PQC failure recorded during fallback',
      cause: 'recovery_probe_failed',
      detail: 'recovery probe reported PQC still unavailable',
      failures: 2,
    });
    clock.advance(50_000);
    expect(lines.find((l) => l.msg === 'fallback expiry listener failed')).toMatchObject({
      level: LEVEL.error,
      err: { message: 'thrown at once' },
    });
  });

  it('without a sink or URL the alerts are only logged, by name', () => {
    const { controller, lines } = make({ alertSink: undefined, alertRepeatSeconds: 0 });
    controller.activate('backend_load_failed', 'x');
    expect(lines[1]).toEqual({ level: LEVEL.warn, msg: 'no alert URL configured; alert only logged', alerts: ['PqcFallbackActive'] });
  });
});

describe('the alerts it sends', () => {
  it('firing, re-sent, resolved: the same labels, the texts naming node, cause, detail and TTL', async () => {
    const { controller, clock, sink } = make({ ttlSeconds: 300, alertRepeatSeconds: 60, statusUrl: 'http://127.0.0.1:1/status' });
    controller.activate('backend_self_test_failed', 'ML-KEM KAT mismatch');
    const firing = {
      labels: { cause: 'backend_self_test_failed', service: 'pqc-mesh', alertname: 'PqcFallbackActive', severity: 'critical', node: 'n1' },
      annotations: {
        summary: 'Mesh node n1 runs without post-quantum crypto',
        description:
          'PQC fallback activated (backend_self_test_failed): ML-KEM KAT mismatch. Node fails closed in 300 s unless PQC recovers.',
      },
      startsAt: '2030-01-01T00:00:00.000Z',
      generatorURL: 'http://127.0.0.1:1/status',
    };
    await controller.whenAlertsSent();
    expect(sink.posts).toEqual([[firing]]);
    clock.advance(59_999);
    await controller.whenAlertsSent();
    expect(sink.posts).toHaveLength(1);
    clock.advance(1);
    await controller.whenAlertsSent();
    expect(sink.posts).toEqual([[firing], [firing]]);
    clock.advance(30_000);
    controller.pqcRecovered();
    await controller.whenAlertsSent();
    expect(sink.posts[2]).toEqual([{ ...firing, endsAt: '2030-01-01T00:01:30.000Z' }]);
    expect(clock.pendingTimers).toBe(0);
    // Nothing fires after recovery.
    clock.advance(3_600_000);
    await controller.whenAlertsSent();
    expect(sink.posts).toHaveLength(3);
  });

  it('the expiry alert names the cause, the TTL and the exit code', async () => {
    const { controller, clock, sink } = make({ ttlSeconds: 20, alertRepeatSeconds: 0 });
    controller.activate('backend_load_failed', 'x');
    clock.advance(20_000);
    await controller.whenAlertsSent();
    expect(sink.posts[1]).toEqual([
      {
        labels: { cause: 'backend_load_failed', service: 'pqc-mesh', alertname: 'PqcFallbackExpired', severity: 'critical', node: 'n1' },
        annotations: {
          summary: 'Mesh node n1 fallback TTL expired; node is shutting down',
          description:
            'PQC was unavailable (backend_load_failed) for 20 s. The node refuses new sessions, closes existing ones and exits with code 3 after draining.',
        },
        startsAt: '2030-01-01T00:00:20.000Z',
      },
    ]);
    expect(sink.posts).toHaveLength(2);
  });

  it('a sink that throws is a failed delivery: counted, recorded, and the queue goes on', async () => {
    const sends: string[] = [];
    const sink: AlertSink = {
      send: async (alerts) => {
        sends.push(alerts[0].endsAt ? 'resolve' : 'fire');
        if (sends.length === 1) throw new Error('socket hang up');
        return { delivered: true, attempts: 1 };
      },
    };
    const { controller, metrics } = make({ alertSink: sink, alertRepeatSeconds: 0 });
    controller.activate('backend_load_failed', 'x');
    await controller.whenAlertsSent();
    expect(controller.status().lastAlertDelivery).toEqual({ delivered: false, attempts: 0, error: 'Error: socket hang up' });
    expect(await metric(metrics, 'mesh_alert_delivery_failures_total')).toBe('mesh_alert_delivery_failures_total 1');
    controller.pqcRecovered();
    await controller.whenAlertsSent();
    expect(sends).toEqual(['fire', 'resolve']);
    expect(controller.status().lastAlertDelivery).toEqual({ delivered: true, attempts: 1 });
  });

  it('a resolve never overtakes the firing alert it resolves, however slow the first send', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const sink: AlertSink = {
      send: async (alerts) => {
        const what = alerts[0].endsAt ? 'resolve' : 'fire';
        if (what === 'fire') await gate;
        order.push(what);
        return { delivered: true, attempts: 1 };
      },
    };
    const { controller } = make({ alertSink: sink, alertRepeatSeconds: 0 });
    controller.activate('backend_load_failed', 'x');
    controller.pqcRecovered();
    await settle();
    release();
    await controller.whenAlertsSent();
    expect(order).toEqual(['fire', 'resolve']);
  });
});

describe('state, timers and status', () => {
  it('a failure recorded in pqc activates; one recorded after expiry is counted without reviving', async () => {
    const { controller, clock, metrics } = make({ ttlSeconds: 5, alertRepeatSeconds: 0 });
    expect(await metric(metrics, 'pqc_fallback_enabled ')).toBe('pqc_fallback_enabled 0');
    controller.recordPqcFailure('backend_self_test_failed', 'kat');
    expect(controller.status()).toMatchObject({
      state: 'fallback',
      cause: 'backend_self_test_failed',
      detail: 'kat',
      activations: 1,
      failures: 1,
    });
    clock.advance(5_000);
    controller.recordPqcFailure('backend_self_test_failed', 'after');
    expect(controller.status()).toMatchObject({ state: 'expired', failures: 2, activations: 1 });
    expect(await metric(metrics, 'pqc_fallback_failures_total{cause="backend_self_test_failed"}')).toMatch(/ 2$/);
    expect(controller.pqcRecovered()).toBe(false);
  });

  it('recovery clears cause, detail and times; a second episode starts afresh with its own TTL', () => {
    const { controller, clock } = make({ ttlSeconds: 60, alertRepeatSeconds: 0 });
    expect(controller.pqcRecovered()).toBe(false);
    controller.activate('backend_load_failed', 'one');
    clock.advance(30_000);
    controller.pqcRecovered();
    expect(controller.status()).toMatchObject({ state: 'pqc', cause: null, detail: null, activatedAt: null, expiresAt: null });
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10_000);
    controller.activate('backend_self_test_failed', 'two');
    expect(controller.status()).toMatchObject({
      cause: 'backend_self_test_failed',
      detail: 'two',
      activatedAt: '2030-01-01T00:00:40.000Z',
      expiresAt: '2030-01-01T00:01:40.000Z',
      activations: 2,
    });
    clock.advance(59_999);
    expect(controller.state).toBe('fallback');
    clock.advance(1);
    expect(controller.state).toBe('expired');
  });

  it('classical only with a policy that says exactly true', () => {
    const { controller } = make({ alertRepeatSeconds: 0 });
    controller.activate('backend_load_failed', 'x');
    expect(controller.allowClassical({ allowClassicalFallback: 1 as unknown as boolean })).toBe(false);
    expect(controller.allowClassical({ allowClassicalFallback: true })).toBe(true);
  });

  it('timers: the TTL always; the repeat by default every 60 s; the probe by default every 30 s; none for 0', async () => {
    const probe = async (): Promise<boolean> => false;
    const plain = make();
    plain.controller.activate('backend_load_failed', 'x');
    expect(plain.clock.pendingTimers).toBe(2);
    plain.clock.advance(59_999);
    await plain.controller.whenAlertsSent();
    expect(plain.sink.posts).toHaveLength(1);
    plain.clock.advance(1);
    await plain.controller.whenAlertsSent();
    expect(plain.sink.posts).toHaveLength(2);
    const probed = make({ recoveryProbe: probe });
    probed.controller.activate('backend_load_failed', 'x');
    expect(probed.clock.pendingTimers).toBe(3);
    probed.clock.advance(29_999);
    await settle();
    expect(probed.controller.status().failures).toBe(1);
    probed.clock.advance(1);
    await settle();
    expect(probed.controller.status().failures).toBe(2);
    const none = make({ recoveryProbe: probe, probeIntervalSeconds: 0, alertRepeatSeconds: 0 });
    none.controller.activate('backend_load_failed', 'x');
    expect(none.clock.pendingTimers).toBe(1);
    const env = make({ recoveryProbe: probe, alertRepeatSeconds: 0 });
    env.controller.activate('disabled_by_env', 'x');
    expect(env.clock.pendingTimers).toBe(1);
    none.controller.close();
    expect(none.clock.pendingTimers).toBe(0);
    expect(none.controller.state).toBe('fallback');
  });

  it('a probe that throws counts as a failed probe, is logged, and is tried again', async () => {
    let calls = 0;
    const { controller, clock, lines } = make({
      alertRepeatSeconds: 0,
      probeIntervalSeconds: 10,
      recoveryProbe: async () => {
        calls++;
        if (calls === 1) throw new Error('probe exploded');
        return true;
      },
    });
    controller.activate('backend_load_failed', 'x');
    clock.advance(10_000);
    await settle();
    expect(lines.find((l) => l.msg === 'PQC recovery probe threw')).toMatchObject({
      level: LEVEL.warn,
      err: { message: 'probe exploded' },
    });
    expect(controller.status().failures).toBe(2);
    expect(controller.state).toBe('fallback');
    clock.advance(10_000);
    await settle();
    expect(controller.state).toBe('pqc');
  });

  it('a slow probe never acts on a later episode than the one it probed for', async () => {
    const answers: ((works: boolean) => void)[] = [];
    const { controller, clock } = make({
      alertRepeatSeconds: 0,
      probeIntervalSeconds: 10,
      recoveryProbe: () => new Promise<boolean>((r) => answers.push(r)),
    });
    controller.activate('backend_load_failed', 'one');
    clock.advance(10_000);
    expect(answers).toHaveLength(1);
    controller.pqcRecovered();
    controller.activate('backend_load_failed', 'two');
    answers[0](true);
    await settle();
    expect(controller.state).toBe('fallback');
    expect(controller.status().failures).toBe(2);
    // And a probe answering after recovery changes nothing either.
    clock.advance(10_000);
    controller.pqcRecovered();
    answers[1](false);
    await settle();
    expect(controller.status()).toMatchObject({ state: 'pqc', failures: 2 });
  });

  it('expiry out of turn does nothing: before any fallback, and a second time after expiring', async () => {
    const { controller, clock, sink } = make({ ttlSeconds: 5, alertRepeatSeconds: 0 });
    let heard = 0;
    controller.onExpired(() => {
      heard++;
    });
    controller.expireNow();
    expect(controller.status()).toMatchObject({ state: 'pqc', cause: null });
    expect(heard).toBe(0);
    controller.activate('backend_load_failed', 'x');
    clock.advance(5_000);
    controller.expireNow();
    await controller.whenAlertsSent();
    expect(heard).toBe(1);
    expect(sink.alerts.map((a) => a.labels.alertname)).toEqual(['PqcFallbackActive', 'PqcFallbackExpired']);
  });

  it('an unsubscribed expiry listener is not called; the others are', () => {
    const { controller, clock } = make({ ttlSeconds: 1, alertRepeatSeconds: 0 });
    const heard: string[] = [];
    const off = controller.onExpired(() => {
      heard.push('off');
    });
    controller.onExpired((e) => {
      heard.push(`${e.nodeId} ${e.cause} ${e.activatedAt.toISOString()} ${e.ttlSeconds}`);
    });
    off();
    controller.activate('backend_load_failed', 'x');
    clock.advance(1000);
    expect(heard).toEqual(['n1 backend_load_failed 2030-01-01T00:00:00.000Z 1']);
  });
});
