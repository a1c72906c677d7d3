// Mutant: expiry fails closed but reports success. The state machine expires,
// new sessions are refused and the listeners run, but the FallbackExpiry they
// are handed carries exit code 0 instead of 3: a node that exits with
// expiry.exitCode would drain and exit "cleanly", and a supervisor (systemd,
// Kubernetes) would see nothing to alert on.
import { FallbackController } from '../../../src/mesh/fallback/controller.ts';
import type {
  ExpiredListener,
  FallbackControllerFactory,
  FallbackControllerOptions,
  FallbackExpiry,
} from '../../../src/mesh/fallback/controller.ts';

export class ExpiryExitsZeroFallbackController extends FallbackController {
  override onExpired(listener: ExpiredListener): () => void {
    // The one seeded bug: listeners see exit code 0.
    return super.onExpired((expiry) => listener({ ...expiry, exitCode: 0 } as unknown as FallbackExpiry));
  }
}

const createExpiryExitsZeroController: FallbackControllerFactory = (options: FallbackControllerOptions) =>
  new ExpiryExitsZeroFallbackController(options);

export default createExpiryExitsZeroController;
