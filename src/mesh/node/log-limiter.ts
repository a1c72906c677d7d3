// Repeated identical warnings are rate-limited: a flood of rejected
// connections must not become a flood of log lines (disk, CPU). The first
// line per key is written; repeats within `intervalMs` are only counted and
// the next written line says how many were suppressed.
import type { Logger } from 'pino';

export class WarnLimiter {
  private readonly last = new Map<string, { at: number; suppressed: number }>();
  constructor(
    private readonly log: Logger,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(key: string, fields: Record<string, unknown>, message: string): void {
    const t = this.now();
    const seen = this.last.get(key);
    if (seen && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    if (this.last.size > 1000) this.last.clear(); // keys come from the network: bound the map
    this.last.set(key, { at: t, suppressed: 0 });
    this.log.warn(seen?.suppressed ? { ...fields, suppressed: seen.suppressed } : fields, message);
  }
}
