// The fallback checks pass on the reference controller and each fails on the
// seeded mutants aimed at it, with a reason naming what went wrong.
import { describe, expect, it } from 'vitest';
import { checkFallbackExpiresClosed, checkFallbackRecovers } from '../../../suites/fallback/checks.ts';
import { createFallbackController } from '../../../src/mesh/fallback/controller.ts';
import createExpiryExitsZeroController from './fallback-expiry-exits-zero.ts';
import createRecoveryKeepsGaugeController from './fallback-recovery-keeps-gauge.ts';
import createRecoveryKeepsTtlController from './fallback-recovery-keeps-ttl.ts';
import createRecoveryNeverResolvesController from './fallback-recovery-never-resolves.ts';
import createTtlOnlyLogsController from './fallback-ttl-only-logs.ts';

describe('fallback TTL check', () => {
  it('passes on the reference controller', async () => {
    const verdict = await checkFallbackExpiresClosed(createFallbackController);
    expect(verdict.reason).toBeUndefined();
    expect(verdict.status).toBe('pass');
    expect(verdict.evidence.ttlSeconds).toBe(3600);
  });

  it('fails on the mutant whose TTL expiry only logs', async () => {
    const verdict = await checkFallbackExpiresClosed(createTtlOnlyLogsController);
    expect(verdict.status).toBe('fail');
    expect(verdict.reason).toMatch(/^atTtl\.state: expected expired, saw fallback/);
    expect(verdict.evidence.unmet).toEqual(
      expect.arrayContaining([
        'atTtl.allowsClassical: expected false, saw true',
        'atTtl.acceptsNewSessions: expected false, saw true',
        'atTtl.expiryListenerCalls: expected 1, saw 0',
      ]),
    );
  });

  it('fails on the mutant whose expiry fails closed but hands out exit code 0', async () => {
    const verdict = await checkFallbackExpiresClosed(createExpiryExitsZeroController);
    expect(verdict.status).toBe('fail');
    expect(verdict.reason).toBe('atTtl.exitCode: expected 3, saw 0');
    // Only the exit code is wrong: it still expires, refuses sessions and alerts.
    expect(verdict.evidence.unmet).toEqual(['atTtl.exitCode: expected 3, saw 0']);
  });

  it.each([
    ['recovery leaves the gauge at 1', createRecoveryKeepsGaugeController],
    ['recovery never resolves the alert', createRecoveryNeverResolvesController],
    ['recovery leaves the TTL armed', createRecoveryKeepsTtlController],
  ])('passes on the mutant where %s: that mutant differs only in recovery', async (_name, factory) => {
    const verdict = await checkFallbackExpiresClosed(factory);
    expect(verdict.reason).toBeUndefined();
    expect(verdict.status).toBe('pass');
  });
});

describe('fallback recovery check', () => {
  it('passes on the reference controller', async () => {
    const verdict = await checkFallbackRecovers(createFallbackController);
    expect(verdict.reason).toBeUndefined();
    expect(verdict.status).toBe('pass');
    expect(verdict.evidence.unmet).toEqual([]);
  });

  it('passes on the mutant whose TTL expiry only logs: that mutant differs only at expiry', async () => {
    expect((await checkFallbackRecovers(createTtlOnlyLogsController)).status).toBe('pass');
    expect((await checkFallbackRecovers(createExpiryExitsZeroController)).status).toBe('pass');
  });

  it('fails on the mutant whose recovery leaves pqc_fallback_enabled at 1', async () => {
    const verdict = await checkFallbackRecovers(createRecoveryKeepsGaugeController);
    expect(verdict.status).toBe('fail');
    expect(verdict.reason).toBe('recovered.gauge: expected 0, saw 1');
    // Only the gauge is wrong: state, alert and TTL are undone.
    expect(verdict.evidence.unmet).toEqual(['recovered.gauge: expected 0, saw 1']);
  });

  it('fails on the mutant whose recovery never sends the resolved alert (endsAt)', async () => {
    const verdict = await checkFallbackRecovers(createRecoveryNeverResolvesController);
    expect(verdict.status).toBe('fail');
    expect(verdict.reason).toBe('recovered.alertsSent: expected 2, saw 1');
    expect(verdict.evidence.unmet).toHaveLength(3);
    expect(verdict.evidence.unmet).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^recovered\.resolveHasSameLabels: expected \{.*"alertname":"PqcFallbackActive".*\}, saw undefined$/),
        expect.stringMatching(/^recovered\.resolveEndsAt: expected \d{4}-\d\d-\d\dT[\d:.]+Z, saw undefined$/),
      ]),
    );
    // State, gauge and TTL are fine: the resolve is the only thing missing.
    expect(verdict.evidence.observed).toMatchObject({
      'recovered.state': 'pqc',
      'recovered.gauge': 0,
      'afterOldTtl.expiryListenerCalls': 0,
    });
  });

  it('fails on the mutant whose recovery leaves the TTL armed, so the node fails closed at the old deadline', async () => {
    const verdict = await checkFallbackRecovers(createRecoveryKeepsTtlController);
    expect(verdict.status).toBe('fail');
    expect(verdict.reason).toBe('afterOldTtl.expiryListenerCalls: expected 0, saw 1');
    // Everything observable at recovery time is right; only the stale TTL firing gives it away.
    expect(verdict.evidence.unmet).toEqual(['afterOldTtl.expiryListenerCalls: expected 0, saw 1']);
  });
});
