/** The token bucket behind the per-connection request rate limit. */
/**
 * A request rate limit per connection, like Mumble's messagelimit/messageburst:
 * `ratePerSecond` tokens are added each second up to `burst`; each request takes one.
 * Pure: the caller passes the time.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param ratePerSecond tokens added per second; must be positive.
   * @param burst most tokens held at once (requests allowed back to back); at least 1.
   * @param now the current time in milliseconds.
   */
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new RangeError('ratePerSecond must be a positive number');
    if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError('burst must be at least 1');
    this.tokens = burst;
    this.last = now;
  }

  /**
   * Takes one token if there is one and returns 0; otherwise takes nothing and
   * returns how many milliseconds to wait before one is there.
   */
  take(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
  }

  /** Tokens available at `now` (fractional). */
  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
  }
}
