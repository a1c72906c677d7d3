// The fallback checks pass on the reference controller and fail on the seeded mutant.
import { describe, expect, it } from 'vitest';
import { checkFallbackExpiresClosed, checkFallbackRecovers } from '../../../src/mesh/fallback-checks.ts';
import { createFallbackController } from '../../../src/mesh/fallback.ts';
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

  it('the recovery check passes on both: the mutant differs only at expiry', async () => {
    expect((await checkFallbackRecovers(createFallbackController)).status).toBe('pass');
    expect((await checkFallbackRecovers(createTtlOnlyLogsController)).status).toBe('pass');
  });
});
