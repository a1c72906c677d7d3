// Mutant: recovery does everything right except the gauge. State goes back to
// `pqc`, the alert is resolved and the TTL is disarmed, but
// pqc_fallback_enabled stays at 1, so dashboards and the PqcFallback rule keep
// reporting a node without post-quantum crypto that has long recovered.
import { FallbackController } from '../../../src/mesh/fallback/controller.ts';
import type { FallbackControllerFactory, FallbackControllerOptions } from '../../../src/mesh/fallback/controller.ts';
import type { MeshMetrics } from '../../../src/mesh/metrics.ts';

export class RecoveryKeepsGaugeFallbackController extends FallbackController {
  private readonly gauge: MeshMetrics;

  constructor(options: FallbackControllerOptions) {
    super(options);
    this.gauge = options.metrics;
  }

  override pqcRecovered(): boolean {
    const changed = super.pqcRecovered();
    // The one seeded bug: the gauge is not reset on recovery.
    if (changed) this.gauge.setFallback(true);
    return changed;
  }
}

const createRecoveryKeepsGaugeController: FallbackControllerFactory = (options: FallbackControllerOptions) =>
  new RecoveryKeepsGaugeFallbackController(options);

export default createRecoveryKeepsGaugeController;
