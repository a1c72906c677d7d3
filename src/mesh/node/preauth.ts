// Budgets for connections that have not authenticated yet. Before the
// handshake completes, a peer costs us memory (partial frames), a file
// descriptor and, once its HELLO is in, a certificate check, an
// encapsulation and a signature. Each is capped: concurrent unauthenticated
// connections per node and per source address, the bytes buffered in their
// partial frames together, and responder signatures per claimed peer id and
// per node (token buckets). Every refusal is counted by reason.
import { MeshError } from '../protocol/errors.ts';
import type { MeshMetrics, PreauthRejection } from '../metrics.ts';

export interface PreauthLimits {
  connections: number;
  connectionsPerSource: number;
  bytes: number;
  signaturesPerSecondPerPeer: number;
  signaturesPerSecond: number;
}

/** Refills `ratePerSecond` tokens a second up to a burst of the same size. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = ratePerSecond;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.ratePerSecond, this.tokens + ((t - this.last) * this.ratePerSecond) / 1000);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** One admitted unauthenticated connection: its share of the byte budget until release(). */
export interface PreauthTicket {
  /** May this connection hold `buffered` bytes of partial frames? Records the amount if so. */
  buffer(buffered: number): boolean;
  /** The handshake ended (either way) or the socket closed: give everything back. Idempotent. */
  release(): void;
}

/** Bucket key for HELLOs whose certificate names no configured peer. */
const NON_MEMBER = '\u0000non-member';

export class PreauthBudget {
  private open = 0;
  private readonly perSource = new Map<string, number>();
  private bytes = 0;
  private readonly node: TokenBucket;
  private readonly perPeer = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: PreauthLimits,
    private readonly metrics: MeshMetrics,
    private readonly now?: () => number,
  ) {
    this.node = new TokenBucket(limits.signaturesPerSecond, now);
  }

  get bufferedBytes(): number {
    return this.bytes;
  }

  private refuse(reason: PreauthRejection): undefined {
    this.metrics.preauthRejected(reason);
    return undefined;
  }

  /** A new inbound connection from `source`; undefined (counted) when a connection cap is reached. */
  admit(source: string): PreauthTicket | undefined {
    if (this.open >= this.limits.connections) return this.refuse('connections');
    const fromSource = this.perSource.get(source) ?? 0;
    if (fromSource >= this.limits.connectionsPerSource) return this.refuse('connections_per_source');
    this.open++;
    this.perSource.set(source, fromSource + 1);
    let mine = 0;
    let released = false;
    return {
      buffer: (buffered) => {
        if (released) return true;
        if (this.bytes - mine + buffered > this.limits.bytes) {
          this.refuse('bytes');
          return false;
        }
        this.bytes += buffered - mine;
        mine = buffered;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.bytes -= mine;
        this.open--;
        const n = (this.perSource.get(source) ?? 1) - 1;
        if (n <= 0) this.perSource.delete(source);
        else this.perSource.set(source, n);
      },
    };
  }

  /**
   * Before the responder verifies a HELLO's certificate and signs an ACCEPT:
   * one token from the claimed peer's bucket and one from the node's. A
   * replayed HELLO carries a member's public certificate, so the claimed id
   * is what an attacker must copy; on loopback every source address is the
   * same, so keying on it would throttle honest peers too.
   */
  admitSignature(claimedPeer: string | undefined): void {
    const key = claimedPeer ?? NON_MEMBER;
    let bucket = this.perPeer.get(key);
    if (!bucket) this.perPeer.set(key, (bucket = new TokenBucket(this.limits.signaturesPerSecondPerPeer, this.now)));
    if (!bucket.take() || !this.node.take()) {
      this.metrics.preauthRejected('signature_rate');
      throw new MeshError(
        'policy',
        `responder signature budget for unauthenticated HELLOs claiming ${claimedPeer ?? 'a non-member'} is spent`,
      );
    }
  }
}
