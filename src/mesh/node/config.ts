// The node's YAML configuration, validated with zod. Every error names the
// file and the field path ("peers.1.address: ..."), and relative paths are
// resolved against the directory of the configuration file.
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { readYamlFile, validateYaml } from '../../yaml-file.ts';
import { MAX_FALLBACK_TTL_SECONDS } from '../fallback/config.ts';
import { NODE_ID_PATTERN } from '../protocol/certificate.ts';
import { CIPHER_SUITE_NAMES } from '../protocol/ciphersuites.ts';
import { BACKEND_SPEC_HELP, isBackendSpec } from '../../crypto/switches.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * 10.213.0.0/16: the addresses the harness's kernel chaos driver gives nodes
 * inside its own network namespaces (chaos/kernel/, docs/node-contract.md §10).
 * Only there do they exist, so accepting them keeps a node off every real network.
 */
const CHAOS_NETNS_HOST = /^10\.213\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/;

/** `host:port` on loopback (or in a chaos namespace); port 0 asks the OS for a free one. */
const loopbackAddress = z.string().refine(
  (s) => {
    const m = /^(\[::1\]|[^:]+):(\d{1,5})$/.exec(s);
    if (!m || Number(m[2]) > 65535) return false;
    const host = m[1].replace(/^\[|\]$/g, '');
    return LOOPBACK_HOSTS.has(host) || CHAOS_NETNS_HOST.test(host);
  },
  { message: 'must be host:port with a loopback host (127.0.0.1, localhost or [::1]) or a chaos namespace address (10.213.x.y)' },
);

const nodeId = z
  .string()
  .regex(NODE_ID_PATTERN, 'must be 1-64 characters of letters, digits, ".", "_" or "-", starting with a letter or digit');
const cipherSuiteName = z.enum(CIPHER_SUITE_NAMES);
const pqSuite = cipherSuiteName.refine((s) => s !== 'X25519-ED25519', {
  message: 'the classical suite is governed by the fallback policy, not listed here',
});
const positiveInt = z.number().int().positive();

/** Node timers take at most 2^31-1 ms; a longer delay overflows and the timer fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** A millisecond count that ends up in setTimeout/setInterval: refused above MAX_TIMER_MS, naming the field. */
const timerMs = (field: string) =>
  positiveInt.max(MAX_TIMER_MS, {
    message: `${field} must be at most ${MAX_TIMER_MS} ms (2^31-1, about 24.8 days): Node fires longer timers after 1 ms`,
  });

export const nodeConfigSchema = z
  .object({
    id: nodeId,
    listen: loopbackAddress,
    admin: loopbackAddress.default('127.0.0.1:0'),
    /** Bearer token of the admin API (mode 0600). Default: `<config name>.admin-token` next to the config; created if missing. */
    adminTokenFile: z.string().min(1).optional(),
    /** May GET /metrics be scraped without the token? */
    adminMetricsPublic: z.boolean().default(true),
    /** Durable state: delivered messages, incarnation. Default: state/<id> next to the config. */
    stateDir: z.string().min(1).optional(),
    /** Unset: PQC_BACKEND, else auto. A bare word that names no backend is a typo, not a module. */
    backend: z
      .string()
      .min(1)
      .refine(isBackendSpec, { message: `must be ${BACKEND_SPEC_HELP}` })
      .optional(),
    ca: z.string().min(1),
    certificate: z.string().min(1),
    key: z.string().min(1),
    peers: z
      .array(
        z.strictObject({
          id: nodeId,
          address: loopbackAddress,
          /** Whether this node may run the classical suite with that peer during fallback. */
          allowClassicalFallback: z.boolean().optional(),
        }),
      )
      .default([]),
    suites: z
      .strictObject({
        /** Post-quantum suites in preference order: the first is offered with a key share. */
        offer: z.array(pqSuite).min(1).default(['XWING-MLDSA65', 'MLKEM1024-MLDSA87']),
        accept: z.array(pqSuite).min(1).default(['XWING-MLDSA65', 'MLKEM1024-MLDSA87']),
      })
      .default({ offer: ['XWING-MLDSA65', 'MLKEM1024-MLDSA87'], accept: ['XWING-MLDSA65', 'MLKEM1024-MLDSA87'] }),
    fallback: z
      .strictObject({
        /** Default for peers that do not say: may the classical suite be used while fallback is active? */
        allowClassical: z.boolean().default(false),
        /** Becomes a timer of ttlSeconds * 1000 ms, so it has the same ceiling. */
        ttlSeconds: z
          .number()
          .positive()
          .max(MAX_FALLBACK_TTL_SECONDS, {
            message: `fallback.ttlSeconds must be at most ${MAX_FALLBACK_TTL_SECONDS} s (2^31-1 ms): Node fires longer timers after 1 ms`,
          })
          .optional(),
        alertUrl: z.url().optional(),
        /**
         * A backend that fails to load: `refuse` (exit 2) or `fallback` (classical, alerting).
         * Unset: refuse when X0TTA6BL4_PRODUCTION is on, fallback otherwise.
         */
        onBackendFailure: z.enum(['refuse', 'fallback']).optional(),
      })
      .default({ allowClassical: false }),
    limits: z
      .strictObject({
        /** Unacknowledged messages queued per peer; beyond it /send answers 503 (outbox_full). */
        outboxMessagesPerPeer: positiveInt.default(1024),
        /** Payload bytes queued per peer. */
        outboxBytesPerPeer: positiveInt.default(8 * 1024 * 1024),
        /** Connections that have not finished a handshake, per node and per source address. */
        preauthConnections: positiveInt.default(256),
        preauthConnectionsPerSource: positiveInt.default(32),
        /** Bytes buffered in partial frames of all unauthenticated connections together. */
        preauthBytes: positiveInt.default(8 * 1024 * 1024),
        /** Responder signatures for unauthenticated HELLOs: per claimed peer id, and for the whole node (per second; burst = rate). */
        helloSignaturesPerSecondPerPeer: positiveInt.default(10),
        helloSignaturesPerSecond: positiveInt.default(100),
      })
      .default({
        outboxMessagesPerPeer: 1024,
        outboxBytesPerPeer: 8 * 1024 * 1024,
        preauthConnections: 256,
        preauthConnectionsPerSource: 32,
        preauthBytes: 8 * 1024 * 1024,
        helloSignaturesPerSecondPerPeer: 10,
        helloSignaturesPerSecond: 100,
      }),
    timers: z
      .strictObject({
        handshakeTimeoutMs: timerMs('timers.handshakeTimeoutMs').default(5000),
        /** An accepted connection must deliver its first complete frame (HELLO) within this. */
        firstFrameTimeoutMs: timerMs('timers.firstFrameTimeoutMs').default(1000),
        keyUpdateAfterFrames: positiveInt.default(1 << 20),
        keyUpdateAfterMs: timerMs('timers.keyUpdateAfterMs').default(3_600_000),
        rehandshakeAfterMs: timerMs('timers.rehandshakeAfterMs').default(86_400_000),
        reconnectMinMs: timerMs('timers.reconnectMinMs').default(50),
        reconnectMaxMs: timerMs('timers.reconnectMaxMs').default(2000),
        /** A sealed HEARTBEAT goes out this often on every session. */
        heartbeatIntervalMs: timerMs('timers.heartbeatIntervalMs').default(1000),
        /** A session with no authentic record for this long is declared dead and reconnected. */
        deadPeerTimeoutMs: timerMs('timers.deadPeerTimeoutMs').default(5000),
      })
      .default({
        handshakeTimeoutMs: 5000,
        firstFrameTimeoutMs: 1000,
        keyUpdateAfterFrames: 1 << 20,
        keyUpdateAfterMs: 3_600_000,
        rehandshakeAfterMs: 86_400_000,
        reconnectMinMs: 50,
        reconnectMaxMs: 2000,
        heartbeatIntervalMs: 1000,
        deadPeerTimeoutMs: 5000,
      }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.timers.deadPeerTimeoutMs <= 2 * c.timers.heartbeatIntervalMs)
      ctx.addIssue({
        code: 'custom',
        path: ['timers', 'deadPeerTimeoutMs'],
        message: `must exceed twice timers.heartbeatIntervalMs (${c.timers.heartbeatIntervalMs} ms), or one late heartbeat kills a session`,
      });
    const seen = new Set<string>();
    c.peers.forEach((p, i) => {
      if (p.id === c.id) ctx.addIssue({ code: 'custom', path: ['peers', i, 'id'], message: 'a node cannot be its own peer' });
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['peers', i, 'id'], message: `duplicate peer ${p.id}` });
      seen.add(p.id);
      if (p.address.endsWith(':0'))
        ctx.addIssue({ code: 'custom', path: ['peers', i, 'address'], message: 'a peer address needs a real port' });
    });
  });

export type NodeConfig = z.infer<typeof nodeConfigSchema>;

export function parseNodeConfig(raw: unknown, source: string): NodeConfig {
  return validateYaml(nodeConfigSchema, raw, source, 'node config');
}

/** Reads, validates and resolves relative paths against the config's directory. */
export function loadNodeConfig(file: string): NodeConfig {
  const c = parseNodeConfig(readYamlFile(file), file);
  const base = dirname(resolve(file));
  const abs = (p: string) => resolve(base, p);
  const backendIsPath = c.backend !== undefined && (c.backend.includes('/') || c.backend.includes('.'));
  return {
    ...c,
    ca: abs(c.ca),
    certificate: abs(c.certificate),
    key: abs(c.key),
    stateDir: abs(c.stateDir ?? `state/${c.id}`),
    adminTokenFile: c.adminTokenFile ? abs(c.adminTokenFile) : resolve(file).replace(/\.ya?ml$/i, '') + '.admin-token',
    backend: backendIsPath ? abs(c.backend!) : c.backend,
  };
}

export function splitAddress(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  return { host: addr.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(addr.slice(i + 1)) };
}
