// Mutant: recovery leaves the TTL armed. State, gauge and alert are undone
// correctly, but the episode's original deadline still fires: at the old
// expiresAt the node runs its fail-closed action (expiry listeners: refuse new
// sessions, close existing ones, exit 3) although PQC has been working since.
//
// The reference's TTL timer and listener set are private, so the mutant keeps
// its own copy of both: it remembers the listeners it is given and, on
// recovery, re-arms a timer on the same clock for the deadline status() showed.
import { FALLBACK_EXPIRED_EXIT_CODE, FallbackController, systemClock } from '../../../src/mesh/fallback/controller.ts';
import type {
  ExpiredListener,
  FallbackClock,
  FallbackControllerFactory,
  FallbackControllerOptions,
  FallbackExpiry,
} from '../../../src/mesh/fallback/controller.ts';

export class RecoveryKeepsTtlFallbackController extends FallbackController {
  private readonly ttlClock: FallbackClock;
  private readonly listeners = new Set<ExpiredListener>();
  private staleTtl: unknown;

  constructor(options: FallbackControllerOptions) {
    super(options);
    this.ttlClock = options.clock ?? systemClock;
  }

  override onExpired(listener: ExpiredListener): () => void {
    this.listeners.add(listener);
    const unsubscribe = super.onExpired(listener);
    return () => {
      this.listeners.delete(listener);
      return unsubscribe();
    };
  }

  override pqcRecovered(): boolean {
    const before = this.status();
    const changed = super.pqcRecovered();
    if (!changed || before.cause === null || before.activatedAt === null || before.expiresAt === null) return changed;
    // The one seeded bug: the episode's TTL is not disarmed.
    const expiry: Omit<FallbackExpiry, 'expiredAt'> = {
      nodeId: this.nodeId,
      cause: before.cause,
      activatedAt: new Date(before.activatedAt),
      ttlSeconds: this.ttlSeconds,
      exitCode: FALLBACK_EXPIRED_EXIT_CODE,
    };
    const deadlineMs = Date.parse(before.expiresAt);
    this.staleTtl = this.ttlClock.setTimeout(() => {
      this.staleTtl = undefined;
      this.logger.fatal(
        { cause: expiry.cause, ttlSeconds: this.ttlSeconds },
        'PQC fallback TTL expired (mutant: stale TTL after recovery)',
      );
      for (const listener of this.listeners) {
        void Promise.resolve(listener({ ...expiry, expiredAt: new Date(this.ttlClock.now()) })).catch(() => undefined);
      }
    }, deadlineMs - this.ttlClock.now());
    return changed;
  }

  override close(): void {
    super.close();
    if (this.staleTtl !== undefined) this.ttlClock.clearTimeout(this.staleTtl);
    this.staleTtl = undefined;
  }
}

const createRecoveryKeepsTtlController: FallbackControllerFactory = (options: FallbackControllerOptions) =>
  new RecoveryKeepsTtlFallbackController(options);

export default createRecoveryKeepsTtlController;
