// Checks of the fallback contract, run against any FallbackController factory:
// the reference passes them, and each seeded mutant must fail at least one.
// They drive a ManualClock, so an hour-long TTL costs microseconds.
import { pino } from 'pino';
import { fail, pass } from '../../src/check/evidence.ts';
import type { Evidence, Verdict } from '../../src/check/evidence.ts';
import { FALLBACK_EXPIRED_EXIT_CODE } from '../../src/mesh/fallback/config.ts';
import { ManualClock, RecordingAlertSink } from './kit.ts';
import type { FallbackController, FallbackControllerFactory, FallbackExpiry } from '../../src/mesh/fallback/controller.ts';
import { MeshMetrics } from '../../src/mesh/metrics.ts';

interface Harness {
  controller: FallbackController;
  clock: ManualClock;
  metrics: MeshMetrics;
  sink: RecordingAlertSink;
}

function buildHarness(factory: FallbackControllerFactory, ttlSeconds: number): Harness {
  const clock = new ManualClock();
  const metrics = new MeshMetrics();
  const sink = new RecordingAlertSink();
  const controller = factory({
    nodeId: 'fallback-check',
    metrics,
    logger: pino({ level: 'silent' }),
    ttlSeconds,
    alertSink: sink,
    alertRepeatSeconds: 0,
    clock,
  });
  return { controller, clock, metrics, sink };
}

async function fallbackGauge(metrics: MeshMetrics): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric('pqc_fallback_enabled');
  const snapshot = metric ? await metric.get() : undefined;
  return snapshot?.values[0]?.value;
}

/** Collects expectations in order; the first unmet one becomes the failure reason. */
class Expectations {
  readonly observed: Record<string, unknown> = {};
  readonly unmet: string[] = [];

  expect(name: string, actual: unknown, expected: unknown): void {
    this.observed[name] = actual;
    if (actual !== expected) this.unmet.push(`${name}: expected ${String(expected)}, saw ${String(actual)}`);
  }

  verdict(evidence: Evidence): Verdict {
    const full = { ...evidence, observed: this.observed, unmet: this.unmet };
    return this.unmet.length === 0 ? pass(full) : fail(this.unmet[0], full);
  }
}

const PEER_ALLOWS_CLASSICAL = { allowClassicalFallback: true } as const;
const PEER_FORBIDS_CLASSICAL = { allowClassicalFallback: false } as const;

/**
 * Forced fallback must be loud, bounded by the TTL, and fail closed at expiry:
 * gauge 1, one critical alert, classical only with a permitting peer, nothing
 * changes one millisecond before the TTL, and at the TTL: state expired, no
 * classical suite, no new sessions, expiry listeners called once with exit code 3,
 * and an expiry alert.
 */
export async function checkFallbackExpiresClosed(factory: FallbackControllerFactory, ttlSeconds = 3600): Promise<Verdict> {
  const evidence: Evidence = { ttlSeconds, cause: 'backend_load_failed' };
  let harness: Harness | undefined;
  try {
    harness = buildHarness(factory, ttlSeconds);
    const { controller, clock, metrics, sink } = harness;
    const expiries: FallbackExpiry[] = [];
    controller.onExpired((expiry) => {
      expiries.push(expiry);
    });
    const e = new Expectations();

    controller.activate('backend_load_failed', 'seeded by the fallback TTL check');
    await controller.whenAlertsSent();
    e.expect('active.state', controller.state, 'fallback');
    e.expect('active.gauge', await fallbackGauge(metrics), 1);
    e.expect('active.allowsClassicalWithPermittingPeer', controller.allowClassical(PEER_ALLOWS_CLASSICAL), true);
    e.expect('active.allowsClassicalWithForbiddingPeer', controller.allowClassical(PEER_FORBIDS_CLASSICAL), false);
    e.expect('active.acceptsNewSessions', controller.acceptsNewSessions(), true);
    e.expect('active.alertsSent', sink.alerts.length, 1);
    e.expect('active.alertSeverity', sink.alerts[0]?.labels.severity, 'critical');

    clock.advance(ttlSeconds * 1000 - 1);
    await controller.whenAlertsSent();
    e.expect('beforeTtl.state', controller.state, 'fallback');
    e.expect('beforeTtl.expiryListenerCalls', expiries.length, 0);

    clock.advance(1);
    await controller.whenAlertsSent();
    e.expect('atTtl.state', controller.state, 'expired');
    e.expect('atTtl.statusState', controller.status().state, 'expired');
    e.expect('atTtl.allowsClassical', controller.allowClassical(PEER_ALLOWS_CLASSICAL), false);
    e.expect('atTtl.acceptsNewSessions', controller.acceptsNewSessions(), false);
    e.expect('atTtl.expiryListenerCalls', expiries.length, 1);
    e.expect('atTtl.exitCode', expiries[0]?.exitCode, FALLBACK_EXPIRED_EXIT_CODE);
    e.expect(
      'atTtl.expiryAlertSent',
      sink.alerts.some((a) => a.labels.alertname === 'PqcFallbackExpired'),
      true,
    );

    // Time going on must not call the listeners again or revive anything.
    clock.advance(ttlSeconds * 1000);
    e.expect('afterTtl.expiryListenerCalls', expiries.length, 1);
    e.expect('afterTtl.acceptsNewSessions', controller.acceptsNewSessions(), false);

    return e.verdict({ ...evidence, alerts: sink.alerts.map((a) => a.labels.alertname) });
  } catch (error) {
    return fail(`controller threw: ${error instanceof Error ? error.message : String(error)}`, evidence);
  } finally {
    harness?.controller.close();
  }
}

/**
 * Recovery undoes fallback: gauge back to 0, the firing alert resolved with the
 * same labels and endsAt set, classical refused again, and the TTL disarmed.
 */
export async function checkFallbackRecovers(factory: FallbackControllerFactory, ttlSeconds = 3600): Promise<Verdict> {
  const evidence: Evidence = { ttlSeconds, cause: 'backend_load_failed' };
  let harness: Harness | undefined;
  try {
    harness = buildHarness(factory, ttlSeconds);
    const { controller, clock, metrics, sink } = harness;
    let expiryListenerCalls = 0;
    controller.onExpired(() => {
      expiryListenerCalls++;
    });
    const e = new Expectations();

    controller.activate('backend_load_failed', 'seeded by the fallback recovery check');
    clock.advance(ttlSeconds * 500);
    e.expect('recovered', controller.pqcRecovered(), true);
    await controller.whenAlertsSent();
    e.expect('recovered.state', controller.state, 'pqc');
    e.expect('recovered.gauge', await fallbackGauge(metrics), 0);
    e.expect('recovered.allowsClassical', controller.allowClassical(PEER_ALLOWS_CLASSICAL), false);
    const [firing, resolved] = sink.alerts;
    e.expect('recovered.alertsSent', sink.alerts.length, 2);
    e.expect('recovered.resolveHasSameLabels', JSON.stringify(resolved?.labels), JSON.stringify(firing?.labels));
    e.expect('recovered.resolveEndsAt', resolved?.endsAt, new Date(clock.now()).toISOString());

    clock.advance(ttlSeconds * 1000);
    e.expect('afterOldTtl.state', controller.state, 'pqc');
    e.expect('afterOldTtl.expiryListenerCalls', expiryListenerCalls, 0);
    return e.verdict(evidence);
  } catch (error) {
    return fail(`controller threw: ${error instanceof Error ? error.message : String(error)}`, evidence);
  } finally {
    harness?.controller.close();
  }
}
