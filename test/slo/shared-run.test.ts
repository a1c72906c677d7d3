// One measurement for every check that asks, within and across processes.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sharedRun } from '../../suites/slo/shared-run.ts';

describe('sharedRun', () => {
  it('computes once per key and hands every caller the same value', async () => {
    const key = randomUUID();
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { value: 42 };
    };
    const [a, b] = await Promise.all([sharedRun(key, compute), sharedRun(key, compute)]);
    expect(a).toEqual({ value: 42 });
    expect(b).toEqual(a);
    expect(calls).toBe(1);
  });

  it('passes the measuring side failure on to every caller', async () => {
    const key = randomUUID();
    await expect(sharedRun(key, async () => Promise.reject(new Error('mesh did not start')))).rejects.toThrow('mesh did not start');
    await expect(sharedRun(key, async () => 1)).rejects.toThrow('mesh did not start');
  });
});
