// The scenario's timeline: nemesis actions as they took effect, what each
// node reported (peers it can reach, membership), commits, first and last
// delivery, convergence. Times are ms since the scenario's start (t0), from
// one monotonic clock, so the timeline and the checkers' histories agree.
import type { TimelineEvent } from '../checkers/history.ts';

export class Timeline {
  readonly events: TimelineEvent[] = [];
  private readonly t0 = performance.now();

  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  add(kind: TimelineEvent['kind'], detail: string, at = this.now()): TimelineEvent {
    const e = { at, kind, detail };
    this.events.push(e);
    return e;
  }

  sorted(): TimelineEvent[] {
    return [...this.events].sort((a, b) => a.at - b.at);
  }
}

/** One line per event, for a terminal or summary.md. */
export function renderTimeline(events: readonly TimelineEvent[]): string {
  return events.map((e) => `${String(e.at).padStart(7)} ms  ${e.kind.padEnd(9)} ${e.detail}`).join('\n');
}
