// Latency recording in an HDR histogram (hdr-histogram-js), microsecond
// resolution with 3 significant digits, and the summary every SLO figure uses.
import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  /** Milliseconds, like every figure above. */
  unit: 'ms';
}

/** An HDR histogram of latencies in milliseconds, stored as whole microseconds. */
export class LatencyRecorder {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    // one hour in microseconds: far beyond any handshake deadline
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a finite number of ms >= 0, got ${ms}`);
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  summary(): LatencySummary {
    const at = (p: number) => this.histogram.getValueAtPercentile(p) / 1000;
    return {
      count: this.histogram.totalCount,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
      max: this.histogram.maxValue / 1000,
      unit: 'ms',
    };
  }
}
