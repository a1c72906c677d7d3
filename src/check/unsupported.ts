// The one exception a backend may throw on purpose. It lives here, at the
// bottom, because the property runner turns it into a verdict.

/**
 * Thrown by a backend for an input it cannot honour by design (a seed given to
 * a non-deterministic backend, a context string the library has no API for).
 * A check that declares the capability optional reports it as an
 * `unsupported` skip; any other check fails, so a backend cannot skip its
 * way through a mandatory operation.
 */
export class UnsupportedCapabilityError extends Error {
  constructor(backend: string, what: string) {
    super(`backend ${backend} does not support ${what}`);
    this.name = 'UnsupportedCapabilityError';
  }
}
