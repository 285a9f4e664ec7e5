/** How late frames were emitted relative to their deadlines, in milliseconds. */
export interface LatenessStats {
  /** Frames measured. */
  readonly count: number;
  readonly lastMs: number;
  readonly meanMs: number;
  readonly maxMs: number;
  /** 99th percentile, to the millisecond (values past 1 s count as 1 s). */
  readonly p99Ms: number;
}

const BUCKETS = 1001;

/** Accumulates lateness samples in 1 ms buckets (constant memory over a long call). */
export class LatenessMeter {
  private readonly buckets = new Uint32Array(BUCKETS);
  private count = 0;
  private sum = 0;
  private max = 0;
  private last = 0;

  /** Records one lateness (negative values count as 0). */
  record(ms: number): void {
    const v = ms > 0 ? ms : 0;
    this.buckets[Math.min(BUCKETS - 1, Math.floor(v))]!++;
    this.count++;
    this.sum += v;
    this.last = v;
    if (v > this.max) this.max = v;
  }

  /** A snapshot of the statistics. */
  stats(): LatenessStats {
    let p99 = 0;
    if (this.count > 0) {
      const rank = Math.ceil(this.count * 0.99);
      let seen = 0;
      for (let i = 0; i < BUCKETS; i++) {
        seen += this.buckets[i]!;
        if (seen >= rank) {
          p99 = i;
          break;
        }
      }
    }
    return { count: this.count, lastMs: this.last, meanMs: this.count ? this.sum / this.count : 0, maxMs: this.max, p99Ms: p99 };
  }
}
