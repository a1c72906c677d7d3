import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { AlertmanagerClient, alertsEndpoint, buildAlert, resolvedAlert } from '../../src/mesh/fallback/alerts.ts';
import type { AlertDelivery } from '../../src/mesh/fallback/alerts.ts';
import { startAlertReceiver } from '../support/alert-receiver.ts';
import type { AlertReceiver } from '../support/alert-receiver.ts';

const STARTS_AT = new Date('2030-01-01T00:00:00.000Z');
const ALERT = buildAlert({
  alertname: 'PqcFallbackActive',
  severity: 'critical',
  node: 'n1',
  summary: 's',
  description: 'd',
  startsAt: STARTS_AT,
  extraLabels: { cause: 'backend_load_failed', alertname: 'spoofed', node: 'spoofed' },
  generatorURL: 'http://127.0.0.1:9100/status',
});

let receiver: AlertReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** A sleep that records the backoff asked for and returns at once. */
function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}

describe('buildAlert / resolvedAlert', () => {
  it('builds an Alertmanager v2 postable alert whose identity labels cannot be overridden', () => {
    expect(ALERT).toEqual({
      labels: { alertname: 'PqcFallbackActive', severity: 'critical', node: 'n1', cause: 'backend_load_failed' },
      annotations: { summary: 's', description: 'd' },
      startsAt: '2030-01-01T00:00:00.000Z',
      generatorURL: 'http://127.0.0.1:9100/status',
    });
    expect(ALERT.endsAt).toBeUndefined();
  });

  it('resolves with the same labels and endsAt, without touching the firing alert', () => {
    const resolved = resolvedAlert(ALERT, new Date('2030-01-01T00:10:00Z'));
    expect(resolved.labels).toEqual(ALERT.labels);
    expect(resolved.startsAt).toBe(ALERT.startsAt);
    expect(resolved.endsAt).toBe('2030-01-01T00:10:00.000Z');
    expect(ALERT.endsAt).toBeUndefined();
  });
});

describe('alertsEndpoint', () => {
  it('appends /api/v2/alerts to a base URL, keeping a path prefix', () => {
    expect(alertsEndpoint('http://127.0.0.1:9093').href).toBe('http://127.0.0.1:9093/api/v2/alerts');
    expect(alertsEndpoint('http://localhost:9093/am/').href).toBe('http://localhost:9093/am/api/v2/alerts');
    expect(alertsEndpoint('http://[::1]:9093/api/v2/alerts').href).toBe('http://[::1]:9093/api/v2/alerts');
  });

  it('allows a non-loopback host only when configured', () => {
    expect(() => alertsEndpoint('https://am.example:9093')).toThrow(ConfigError);
    expect(() => alertsEndpoint('https://am.example:9093')).toThrow(/am\.example:9093 is neither loopback nor listed/);
    expect(alertsEndpoint('https://am.example:9093', ['am.example:9093']).host).toBe('am.example:9093');
    expect(alertsEndpoint('https://am.example', ['am.example']).href).toBe('https://am.example/api/v2/alerts');
  });

  it('refuses bad schemes, credentials, queries and garbage', () => {
    expect(() => alertsEndpoint('ftp://127.0.0.1/')).toThrow(/http or https/);
    expect(() => alertsEndpoint('http://u:p@127.0.0.1:9093')).toThrow(/credentials/);
    expect(() => alertsEndpoint('http://127.0.0.1:9093/?x=1')).toThrow(/query/);
    expect(() => alertsEndpoint('not a url')).toThrow(ConfigError);
  });
});

describe('AlertmanagerClient against a real local receiver', () => {
  it('POSTs a JSON array to /api/v2/alerts', async () => {
    receiver = await startAlertReceiver();
    const client = new AlertmanagerClient({ url: receiver.url });
    const delivery = await client.send([ALERT]);
    expect(delivery).toEqual({ delivered: true, attempts: 1, status: 200 });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].headers['content-type']).toBe('application/json');
    expect(receiver.alertPosts()).toEqual([[ALERT]]);
    expect(client.failures).toBe(0);
  });

  it('retries 503 with exponential backoff, then delivers', async () => {
    receiver = await startAlertReceiver((_req, index) => ({ status: index < 2 ? 503 : 200 }));
    const { sleeps, sleep } = recordingSleep();
    const client = new AlertmanagerClient({ url: receiver.url, attempts: 3, backoffMs: 100, sleep });
    const delivery = await client.send([ALERT]);
    expect(delivery).toMatchObject({ delivered: true, attempts: 3, status: 200 });
    expect(sleeps).toEqual([100, 200]);
    expect(receiver.alertPosts()).toHaveLength(3);
  });

  it('does not retry a 400, returns the failure and counts it', async () => {
    receiver = await startAlertReceiver(() => ({ status: 400, body: 'bad alert' }));
    const failures: AlertDelivery[] = [];
    const { sleeps, sleep } = recordingSleep();
    const client = new AlertmanagerClient({ url: receiver.url, sleep, onDeliveryFailure: (d) => failures.push(d) });
    const delivery = await client.send([ALERT]);
    expect(delivery).toEqual({ delivered: false, attempts: 1, status: 400, error: 'HTTP 400: bad alert' });
    expect(sleeps).toEqual([]);
    expect(client.failures).toBe(1);
    expect(failures).toEqual([delivery]);
  });

  it('bounds each attempt in time and never throws', async () => {
    receiver = await startAlertReceiver(() => 'hang');
    const { sleep } = recordingSleep();
    const client = new AlertmanagerClient({ url: receiver.url, timeoutMs: 100, attempts: 2, sleep });
    const started = Date.now();
    const delivery = await client.send([ALERT]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(delivery.delivered).toBe(false);
    expect(delivery.attempts).toBe(2);
    expect(delivery.error).toMatch(/TimeoutError|aborted/i);
    expect(client.failures).toBe(1);
  });

  it('reports a refused connection as a failed delivery', async () => {
    receiver = await startAlertReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const { sleep } = recordingSleep();
    const delivery = await new AlertmanagerClient({ url, attempts: 2, sleep }).send([ALERT]);
    expect(delivery).toMatchObject({ delivered: false, attempts: 2 });
    expect(delivery.error).toMatch(/fetch failed/);
  });

  it('does not follow a redirect away from the configured endpoint', async () => {
    const elsewhere = await startAlertReceiver();
    try {
      receiver = await startAlertReceiver(() => ({ status: 307, headers: { location: `${elsewhere.url}/api/v2/alerts` } }));
      const { sleep } = recordingSleep();
      const delivery = await new AlertmanagerClient({ url: receiver.url, attempts: 1, sleep }).send([ALERT]);
      expect(delivery).toMatchObject({ delivered: false, attempts: 1, error: expect.stringMatching(/redirect/) });
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });
});
