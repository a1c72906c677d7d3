// Mutant: a fallback controller whose TTL expiry only logs. It stays in
// `fallback`, keeps allowing the classical suite and new sessions, and never
// tells the node to drain and exit: the fail-open bug the TTL check must catch.
import { FallbackController } from '../../../src/mesh/fallback/controller.ts';
import type { FallbackControllerFactory, FallbackControllerOptions } from '../../../src/mesh/fallback/controller.ts';

export class TtlOnlyLogsFallbackController extends FallbackController {
  protected override expire(): void {
    this.logger.warn({ node: this.nodeId, ttlSeconds: this.ttlSeconds }, 'fallback TTL expired (mutant: only logging)');
  }
}

const createTtlOnlyLogsController: FallbackControllerFactory = (options: FallbackControllerOptions) =>
  new TtlOnlyLogsFallbackController(options);

export default createTtlOnlyLogsController;
