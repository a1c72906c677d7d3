import { describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../src/mesh/node/config.ts';

const base = {
  id: 'n1',
  listen: '127.0.0.1:7000',
  ca: 'ca.cert',
  certificate: 'n1.cert',
  key: 'n1.key',
  peers: [{ id: 'n2', address: '127.0.0.1:7001' }],
};

describe('node config', () => {
  it('fills defaults', () => {
    const c = parseNodeConfig(base, 'n1.yaml');
    expect(c.backend).toBeUndefined(); // PQC_BACKEND, else auto, decided when the node starts
    expect(c.timers).toMatchObject({ heartbeatIntervalMs: 1000, deadPeerTimeoutMs: 5000 });
    expect(c.suites.offer[0]).toBe('XWING-MLDSA65');
    expect(c.fallback.allowClassical).toBe(false);
    expect(c.timers.handshakeTimeoutMs).toBe(5000);
  });

  it('accepts addresses of the kernel chaos driver\u2019s namespaces (10.213.0.0/16), nothing else off loopback', () => {
    const c = parseNodeConfig({ ...base, listen: '10.213.7.2:7000', admin: '10.213.7.2:0' }, 'n1.yaml');
    expect([c.listen, c.admin]).toEqual(['10.213.7.2:7000', '10.213.7.2:0']);
    expect(() => parseNodeConfig({ ...base, admin: '10.214.7.2:0' }, 'n1.yaml')).toThrow(/admin: must be host:port/);
  });

  it.each<[Record<string, unknown>, RegExp]>([
    [{ listen: '10.0.0.1:7000' }, /listen: must be host:port with a loopback host/],
    [{ listen: '10.213.1.256:7000' }, /listen: must be host:port with a loopback host .* or a chaos namespace address/],
    [{ peers: [{ id: 'n2', address: '127.0.0.1:0' }] }, /peers\.0\.address: a peer address needs a real port/],
    [{ peers: [{ id: 'n1', address: '127.0.0.1:7001' }] }, /peers\.0\.id: a node cannot be its own peer/],
    [{ suites: { offer: ['X25519-ED25519'], accept: ['XWING-MLDSA65'] } }, /suites\.offer\.0: the classical suite/],
    [{ id: 'bad id' }, /id: must be 1-64 characters/],
    [{ colour: 'blue' }, /colour/],
    [{ backend: 'noblee' }, /backend: must be auto, noble, liboqs, pqclean, mock, .* or a module path/],
    [{ fallback: { onBackendFailure: 'maybe' } }, /fallback\.onBackendFailure/],
    [{ timers: { heartbeatIntervalMs: 1000, deadPeerTimeoutMs: 1500 } }, /timers\.deadPeerTimeoutMs: must exceed twice/],
    [{ timers: { handshakeTimeoutMs: -1 } }, /timers\.handshakeTimeoutMs/],
    ...(['handshakeTimeoutMs', 'keyUpdateAfterMs', 'rehandshakeAfterMs', 'reconnectMinMs', 'reconnectMaxMs'] as const).map(
      (f) =>
        [{ timers: { [f]: 2 ** 31 } }, new RegExp(`timers\\.${f}: timers\\.${f} must be at most 2147483647 ms`)] as [
          Record<string, unknown>,
          RegExp,
        ],
    ),
    [{ fallback: { ttlSeconds: 30 * 86_400 } }, /fallback\.ttlSeconds: fallback\.ttlSeconds must be at most 2147483 s/],
  ])('names the field in %j', (over, message) => {
    expect(() => parseNodeConfig({ ...base, ...over }, 'n1.yaml')).toThrow(message);
  });

  it('accepts timers up to 2^31-1 ms, the largest delay Node honours', () => {
    const max = 2 ** 31 - 1;
    const timers = { handshakeTimeoutMs: max, keyUpdateAfterMs: max, rehandshakeAfterMs: max, reconnectMinMs: max, reconnectMaxMs: max };
    expect(parseNodeConfig({ ...base, timers }, 'n1.yaml').timers).toMatchObject(timers);
  });
});
