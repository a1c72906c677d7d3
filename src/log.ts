// One pino logger for the process, writing JSON lines to stderr so stdout
// stays free for command output. PQC_LOG_LEVEL sets the level (default info).
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export const logger: Logger = pino(
  { level: process.env.PQC_LOG_LEVEL ?? 'info', base: { pid: process.pid } },
  pino.destination({ fd: 2, sync: true }),
);
