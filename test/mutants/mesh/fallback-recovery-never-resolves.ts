// Mutant: recovery never resolves the alert. State, gauge and TTL are undone
// correctly, but the resolved copy of PqcFallbackActive (the one with endsAt)
// is never posted, so Alertmanager keeps the critical alert firing until its
// resolve_timeout and the on-call is paged for a node that is fine.
//
// The seam: the alert sink the controller is given drops every resolution
// (an alert with endsAt) and reports the last real delivery instead; firing
// and expiry alerts go through untouched.
import { AlertmanagerClient } from '../../../src/mesh/fallback/alerts.ts';
import type { AlertDelivery, AlertSink, AlertmanagerAlert } from '../../../src/mesh/fallback/alerts.ts';
import { FallbackController } from '../../../src/mesh/fallback/controller.ts';
import type { FallbackControllerFactory, FallbackControllerOptions } from '../../../src/mesh/fallback/controller.ts';

class DropsResolutionsSink implements AlertSink {
  private lastDelivery: AlertDelivery = { delivered: true, attempts: 0 };

  constructor(private readonly inner: AlertSink) {}

  async send(alerts: readonly AlertmanagerAlert[]): Promise<AlertDelivery> {
    const firing = alerts.filter((alert) => alert.endsAt === undefined);
    if (firing.length === 0) return this.lastDelivery;
    this.lastDelivery = await this.inner.send(firing);
    return this.lastDelivery;
  }
}

function innerSink(options: FallbackControllerOptions): AlertSink | undefined {
  if (options.alertSink) return options.alertSink;
  if (options.alertUrl === undefined) return undefined;
  return new AlertmanagerClient({
    url: options.alertUrl,
    allowedHosts: options.allowedAlertHosts,
    logger: options.logger,
    onDeliveryFailure: () => options.metrics.alertDeliveryFailed(),
  });
}

export class RecoveryNeverResolvesFallbackController extends FallbackController {
  constructor(options: FallbackControllerOptions) {
    const inner = innerSink(options);
    super(inner ? { ...options, alertSink: new DropsResolutionsSink(inner) } : options);
  }
}

const createRecoveryNeverResolvesController: FallbackControllerFactory = (options: FallbackControllerOptions) =>
  new RecoveryNeverResolvesFallbackController(options);

export default createRecoveryNeverResolvesController;
