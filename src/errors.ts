// Error kinds the CLI maps to exit codes. Everything else is a bug (exit 2 too,
// but printed with its stack).

/** Bad configuration, environment or input: exit code 2 with a one-line reason. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The production guard refused an insecure backend: exit code 2. */
export class GuardError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'GuardError';
  }
}
