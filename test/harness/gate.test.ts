// The gate and the runner: what makes a run fail.
import { describe, expect, it } from 'vitest';
import { fail, pass, skip, unsupported, type Check, type CheckResult } from '../../src/check/evidence.ts';
import { decide } from '../../src/harness/gate.ts';
import { runChecks } from '../../src/harness/runner.ts';
import { UnsupportedCapabilityError } from '../../src/crypto/backend.ts';

const result = (v: ReturnType<typeof pass>, id = 'x/y'): CheckResult => ({ id, title: id, durationMs: 1, ...v });

describe('gate', () => {
  it('passes when every check passes', () => {
    expect(decide([result(pass())], 'pr')).toEqual({ verdict: 'pass', reasons: [] });
  });
  it('fails on any failing check and names it', () => {
    const d = decide([result(pass()), result(fail('bad'), 'kat/acvp/ML-KEM-768/keyGen')], 'pr');
    expect(d.verdict).toBe('fail');
    expect(d.reasons[0]).toMatch(/kat\/acvp\/ML-KEM-768\/keyGen/);
  });
  it('fails a run with no checks', () => {
    expect(decide([], 'pr').verdict).toBe('fail');
  });
  it('release fails on a skip for missing input, pr does not', () => {
    const r = [result(skip('vectors missing'))];
    expect(decide(r, 'pr').verdict).toBe('pass');
    expect(decide(r, 'release').verdict).toBe('fail');
  });
  it('release does not fail on a capability the backend lacks by design', () => {
    expect(decide([result(unsupported('no context API'))], 'release').verdict).toBe('pass');
  });
  it('fails when a mandatory check is skipped, whatever the reason', () => {
    const d = decide(
      [result(pass(), 'crypto/roundtrip/ML-KEM-512'), result(unsupported('no decaps'), 'crypto/implicit-rejection/ML-KEM-768')],
      'pr',
    );
    expect(d.verdict).toBe('fail');
    expect(d.reasons.join()).toMatch(/mandatory check\(s\) skipped: crypto\/implicit-rejection\/ML-KEM-768/);
  });
  it('fails a backend that passed nothing', () => {
    const only = (v: ReturnType<typeof pass>, id: string): CheckResult => ({ ...result(v, id), backend: 'lazy' });
    const d = decide([result(pass(), 'kat/vectors'), only(unsupported('no'), 'kat/x'), only(unsupported('no'), 'kat/y')], 'pr');
    expect(d.reasons).toContain('backend lazy passed no check at all');
  });
});

describe('runner', () => {
  const ctx = { seed: 1, profile: 'pr' as const };
  it('turns a crashing check into a failure with the error', async () => {
    const boom: Check = {
      id: 'a',
      title: 'a',
      run: () => {
        throw new Error('kaput');
      },
    };
    const [r] = await runChecks([boom], ctx);
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/check crashed: kaput/);
  });
  it('fails a check that lets UnsupportedCapabilityError escape: the operation was mandatory', async () => {
    const c: Check = {
      id: 'b',
      title: 'b',
      run: () => {
        throw new UnsupportedCapabilityError('x', 'decapsulation');
      },
    };
    const [r] = await runChecks([c], ctx);
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/refused a mandatory operation: backend x does not support decapsulation/);
  });
  it('reports progress for every check in order', async () => {
    const seen: string[] = [];
    const checks: Check[] = ['p', 'q'].map((id) => ({ id, title: id, run: () => pass() }));
    await runChecks(checks, ctx, { started: (c) => seen.push(`start ${c.id}`), finished: (r) => seen.push(`end ${r.id}`) });
    expect(seen).toEqual(['start p', 'end p', 'start q', 'end q']);
  });
});
