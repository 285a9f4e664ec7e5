/** The smallest transit time seen over a sliding window of arrival time: the delay of the least-delayed recent packet. */

/**
 * A monotonic queue of `(arrival, transit)` pairs with transits increasing from the
 * head, so the head is the minimum over the window: each push and expiry is O(1)
 * amortised. Transits are in ms and include the unknown offset between the two
 * clocks, which cancels out: only differences between transits are ever used.
 */
export class TransitFloor {
  readonly #windowMs: number;
  #entries: { arrivalMs: number; transitMs: number }[] = [];

  /** A floor over the last `windowMs` of arrivals. */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Records a packet's transit (arrival minus its send time) at `arrivalMs`. */
  push(arrivalMs: number, transitMs: number): void {
    const entries = this.#entries;
    while (entries.length > 0 && entries[entries.length - 1]!.transitMs >= transitMs) entries.pop();
    entries.push({ arrivalMs, transitMs });
    this.#expire(arrivalMs);
  }

  /** The smallest transit among packets that arrived within the window before `nowMs`; undefined if none. */
  floor(nowMs: number): number | undefined {
    this.#expire(nowMs);
    return this.#entries[0]?.transitMs;
  }

  /** Forgets every packet (the stream restarted with another timeline). */
  clear(): void {
    this.#entries = [];
  }

  #expire(nowMs: number): void {
    const entries = this.#entries;
    // Keep the newest entry whatever its age, so the floor survives an outage.
    let drop = 0;
    while (drop < entries.length - 1 && entries[drop]!.arrivalMs < nowMs - this.#windowMs) drop++;
    if (drop > 0) entries.splice(0, drop);
  }
}
