// Prometheus metrics of one mesh node. Each MeshMetrics owns its own Registry
// (never prom-client's global one) so several nodes can live in one process,
// as they do in tests, without their series colliding.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { FAILURE_REASONS } from './protocol/errors.ts';
import type { FailureReason } from './protocol/errors.ts';

/**
 * The closed set of handshake failure reasons: the protocol's connection
 * failure reasons (src/mesh/errors.ts, the source of truth for the wire side)
 * plus `fallback_expired`, which is a refusal by the fallback controller
 * rather than a protocol failure. Label values outside this set are recorded
 * as `internal`, so a bug can never blow up the label cardinality.
 */
const REQUIRED_HANDSHAKE_FAILURE_REASONS = [
  'bad_signature',
  'unknown_ca',
  'downgrade',
  'decap_mismatch',
  'timeout',
  'bad_frame',
  'replay',
  'key_desync',
  'policy',
  'fallback_expired',
  'internal',
] as const;
export type HandshakeFailureReason = FailureReason | (typeof REQUIRED_HANDSHAKE_FAILURE_REASONS)[number];
export const HANDSHAKE_FAILURE_REASONS: readonly HandshakeFailureReason[] = [
  ...new Set<HandshakeFailureReason>([...REQUIRED_HANDSHAKE_FAILURE_REASONS, ...FAILURE_REASONS]),
];

/** What the control plane reports at each scrape. */
export interface ControlMetricsSource {
  members: number;
  minority: boolean;
  /** Refusal counts per layer (gossip, vote, entry) and reason. */
  refused?: Record<'gossip' | 'vote' | 'entry', Readonly<Record<string, number>>>;
}

/** Why a key rotation (epoch update or periodic re-handshake) failed. */
export const KEY_ROTATION_FAILURE_REASONS = ['timeout', 'key_desync', 'bad_signature', 'backend_error', 'policy', 'internal'] as const;
export type KeyRotationFailureReason = (typeof KEY_ROTATION_FAILURE_REASONS)[number];

/** Why the node entered (or stayed in) classical fallback; label values of pqc_fallback_failures_total. */
export const FALLBACK_CAUSES = [
  'disabled_by_env',
  'backend_load_failed',
  'backend_self_test_failed',
  'recovery_probe_failed',
  'operator',
  'internal',
] as const;
export type FallbackCause = (typeof FALLBACK_CAUSES)[number];

/** Why an unauthenticated connection or HELLO was refused before any costly work (src/mesh/node/preauth.ts). */
export const PREAUTH_REJECTIONS = ['connections', 'connections_per_source', 'bytes', 'first_frame_timeout', 'signature_rate'] as const;
export type PreauthRejection = (typeof PREAUTH_REJECTIONS)[number];

export const SEND_REJECTION_REASONS = ['outbox_full'] as const;
export type SendRejectionReason = (typeof SEND_REJECTION_REASONS)[number];

/** Handshake latency buckets in seconds, as the mesh team's dashboards expect them. */
export const HANDSHAKE_LATENCY_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

export interface MeshMetricsOptions {
  /**
   * When set, prom-client's default process metrics (CPU, memory, event loop)
   * are collected into this node's registry with this name prefix, e.g. "mesh_".
   */
  processMetricsPrefix?: string;
  /** Constant labels on every series, e.g. { node: "n1" } when several nodes share a scrape. */
  defaultLabels?: Record<string, string>;
}

function closedLabel<T extends string>(allowed: readonly T[], value: string, otherwise: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : otherwise;
}

function assertFiniteNonNegative(what: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${what} must be a finite number >= 0, got ${value}`);
  }
}

export class MeshMetrics {
  readonly registry: Registry;
  private readonly handshakeSuccess: Counter;
  private readonly handshakeFailure: Counter<'reason'>;
  private readonly handshakeLatency: Histogram;
  private readonly fallbackEnabled: Gauge;
  private readonly fallbackFailures: Counter<'cause'>;
  private readonly rotationSuccess: Counter;
  private readonly rotationFailure: Counter<'reason'>;
  private readonly sessionsActive: Gauge;
  private readonly peersReachable: Gauge;
  private readonly alertDeliveryFailures: Counter;
  private readonly recordGaps: Counter;
  private readonly sendRejections: Counter<'reason'>;
  private readonly preauthRejections: Counter<'reason'>;
  private reachableSource: (() => number) | undefined;
  private controlSource: (() => ControlMetricsSource) | undefined;

  constructor(options: MeshMetricsOptions = {}) {
    this.registry = new Registry();
    if (options.defaultLabels) this.registry.setDefaultLabels(options.defaultLabels);
    const registers = [this.registry];

    this.handshakeSuccess = new Counter({
      name: 'pqc_handshake_success_total',
      help: 'Mesh handshakes completed: both signatures verified and key confirmation matched.',
      registers,
    });
    this.handshakeFailure = new Counter({
      name: 'pqc_handshake_failure_total',
      help: 'Mesh handshakes that failed or were refused, by reason.',
      labelNames: ['reason'] as const,
      registers,
    });
    this.handshakeLatency = new Histogram({
      name: 'pqc_handshake_latency_seconds',
      help: 'Wall time of a handshake from HELLO sent or received to FINISH verified, in seconds.',
      buckets: [...HANDSHAKE_LATENCY_BUCKETS],
      registers,
    });
    this.fallbackEnabled = new Gauge({
      name: 'pqc_fallback_enabled',
      help: '1 while the node runs without post-quantum crypto (classical fallback, or fallback expired and draining), else 0.',
      registers,
    });
    this.fallbackFailures = new Counter({
      name: 'pqc_fallback_failures_total',
      help: 'PQC failures seen by the fallback controller (activations and failed recovery probes), by cause.',
      labelNames: ['cause'] as const,
      registers,
    });
    this.rotationSuccess = new Counter({
      name: 'key_rotation_success_total',
      help: 'Session key rotations (epoch updates and periodic re-handshakes) that completed.',
      registers,
    });
    this.rotationFailure = new Counter({
      name: 'key_rotation_failure_total',
      help: 'Session key rotations that failed, by reason.',
      labelNames: ['reason'] as const,
      registers,
    });
    this.sessionsActive = new Gauge({
      name: 'mesh_sessions_active',
      help: 'Established encrypted sessions with peers right now.',
      registers,
    });
    const metrics = this;
    this.peersReachable = new Gauge({
      name: 'mesh_peers_reachable',
      help: 'Configured peers with an open session heard from (any record, heartbeats included) within the dead-peer timeout.',
      registers,
      collect() {
        if (metrics.reachableSource) this.set(metrics.reachableSource());
      },
    });
    // Control-plane membership (docs/control-plane.md §3), read at every scrape.
    new Gauge({
      name: 'mesh_members',
      help: 'Configured control-plane members at the current membership epoch, this node included.',
      registers,
      collect() {
        if (metrics.controlSource) this.set(metrics.controlSource().members);
      },
    });
    new Gauge({
      name: 'mesh_partition_minority',
      help: '1 while this node reaches no strict majority of the members (itself included): it commits nothing, queues proposals.',
      registers,
      collect() {
        if (metrics.controlSource) this.set(metrics.controlSource().minority ? 1 : 0);
      },
    });
    // Control messages refused (docs/control-plane.md §1, §4), from the plane's own counters at every scrape.
    new Counter({
      name: 'mesh_control_refused_total',
      help: 'Control-plane gossip, votes and certified entries this node refused, by layer and reason (forged, duplicate, non-member, too few signers...).',
      labelNames: ['layer', 'reason'] as const,
      registers,
      collect() {
        const refused = metrics.controlSource?.().refused;
        if (!refused) return;
        this.reset();
        for (const [layer, byReason] of Object.entries(refused))
          for (const [reason, n] of Object.entries(byReason)) if (n > 0) this.inc({ layer, reason }, n);
      },
    });
    this.sendRejections = new Counter({
      name: 'mesh_send_rejected_total',
      help: 'Admin /send requests refused before queueing, by reason (outbox_full: the per-peer outbox limit).',
      labelNames: ['reason'] as const,
      registers,
    });
    this.preauthRejections = new Counter({
      name: 'mesh_preauth_rejections_total',
      help: 'Unauthenticated connections or HELLOs refused by a pre-authentication budget, by reason.',
      labelNames: ['reason'] as const,
      registers,
    });
    this.recordGaps = new Counter({
      name: 'mesh_record_gaps_total',
      help: 'Records or messages that arrived out of order (dropped or reordered on the path); each closes its session for a re-handshake and retransmission.',
      registers,
    });
    this.alertDeliveryFailures = new Counter({
      name: 'mesh_alert_delivery_failures_total',
      help: 'Alertmanager posts that failed after all retries.',
      registers,
    });

    // Pre-create every closed-set label value at 0 so dashboards and rate()
    // see the series before the first failure, not only after it.
    for (const reason of HANDSHAKE_FAILURE_REASONS) this.handshakeFailure.labels(reason).inc(0);
    for (const reason of KEY_ROTATION_FAILURE_REASONS) this.rotationFailure.labels(reason).inc(0);
    for (const cause of FALLBACK_CAUSES) this.fallbackFailures.labels(cause).inc(0);
    for (const reason of SEND_REJECTION_REASONS) this.sendRejections.labels(reason).inc(0);
    for (const reason of PREAUTH_REJECTIONS) this.preauthRejections.labels(reason).inc(0);
    this.fallbackEnabled.set(0);
    this.sessionsActive.set(0);
    this.peersReachable.set(0);

    if (options.processMetricsPrefix !== undefined) {
      collectDefaultMetrics({ register: this.registry, prefix: options.processMetricsPrefix });
      // prom-client exposes a few gauges named *_total (nodejs_active_handles_total, ...),
      // which `promtool check metrics` rejects; the same numbers remain available
      // per type in the gauges without the suffix, so the misnamed ones are dropped.
      for (const metric of this.registry.getMetricsAsArray()) {
        if (!(metric instanceof Counter) && metric.name.endsWith('_total')) {
          this.registry.removeSingleMetric(metric.name);
        }
      }
    }
  }

  /** Content-Type header value for the /metrics response. */
  get contentType(): string {
    return this.registry.contentType;
  }

  handshakeSucceeded(latencySeconds: number): void {
    assertFiniteNonNegative('handshake latency', latencySeconds);
    this.handshakeSuccess.inc();
    this.handshakeLatency.observe(latencySeconds);
  }

  /**
   * Counts a failed handshake. Latency is observed only when given: a handshake
   * refused before it started (policy, fallback expired) has no meaningful latency.
   */
  handshakeFailed(reason: HandshakeFailureReason, latencySeconds?: number): void {
    this.handshakeFailure.labels(closedLabel(HANDSHAKE_FAILURE_REASONS, reason, 'internal')).inc();
    if (latencySeconds !== undefined) {
      assertFiniteNonNegative('handshake latency', latencySeconds);
      this.handshakeLatency.observe(latencySeconds);
    }
  }

  rotationSucceeded(): void {
    this.rotationSuccess.inc();
  }

  rotationFailed(reason: KeyRotationFailureReason): void {
    this.rotationFailure.labels(closedLabel(KEY_ROTATION_FAILURE_REASONS, reason, 'internal')).inc();
  }

  setFallback(enabled: boolean): void {
    this.fallbackEnabled.set(enabled ? 1 : 0);
  }

  fallbackFailure(cause: FallbackCause): void {
    this.fallbackFailures.labels(closedLabel(FALLBACK_CAUSES, cause, 'internal')).inc();
  }

  alertDeliveryFailed(): void {
    this.alertDeliveryFailures.inc();
  }

  setSessions(count: number): void {
    assertFiniteNonNegative('session count', count);
    this.sessionsActive.set(count);
  }

  sendRejected(reason: SendRejectionReason): void {
    this.sendRejections.labels(reason).inc();
  }

  preauthRejected(reason: PreauthRejection): void {
    this.preauthRejections.labels(reason).inc();
  }

  recordGap(): void {
    this.recordGaps.inc();
  }

  /** Computes mesh_peers_reachable at every scrape, so it is never stale. */
  peersReachableFrom(source: () => number): void {
    this.reachableSource = source;
  }

  /** mesh_members, mesh_partition_minority and mesh_control_refused_total from the control plane. */
  controlFrom(source: () => ControlMetricsSource): void {
    this.controlSource = source;
  }

  setPeersReachable(count: number): void {
    assertFiniteNonNegative('reachable peer count', count);
    this.peersReachable.set(count);
  }

  /** The Prometheus text exposition (format 0.0.4) of this node's registry. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}
