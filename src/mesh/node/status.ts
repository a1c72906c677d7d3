// What a node reports about itself and its peers: /status, liveness (which
// the control plane builds membership on) and key rotation results.
import type { FallbackController } from '../fallback/controller.ts';
import type { MembershipStatus } from '../control/membership.ts';
import type { NodeControlStatus } from './control.ts';
import type { SessionStatus } from './session.ts';

/** What the node knows of a peer's liveness right now, from the heartbeats. */
export interface PeerLiveness {
  id: string;
  /** An open session heard from within timers.deadPeerTimeoutMs. */
  reachable: boolean;
  /** Last authentic record from the peer on any session (ISO time), or null if never heard. */
  lastHeardAt: string | null;
  /** Milliseconds since then, or null. */
  silentForMs: number | null;
}

export interface PeerStatus extends PeerLiveness {
  address: string;
  connected: boolean;
  unacknowledged: number;
  session: SessionStatus | null;
  /** False while POST /links {up: false} cuts this peer off. */
  linkUp: boolean;
  /** Revoked by a committed control-plane event. */
  revoked: boolean;
}

export interface NodeStatus {
  id: string;
  backend: { name: string; version: string };
  protocol: string;
  listen: string;
  incarnation: string;
  fallback: ReturnType<FallbackController['status']>;
  peers: PeerStatus[];
  /** Control-plane membership from the heartbeats: {members, reachable, partition, since, epoch}. */
  membership: MembershipStatus;
  /** Control-plane counters: gossip, quorum, merge, sent, persisted. */
  control: NodeControlStatus;
}

export interface RotationResult {
  peer: string;
  ok: boolean;
  sendEpoch?: number;
  recvEpoch?: number;
  error?: string;
}
