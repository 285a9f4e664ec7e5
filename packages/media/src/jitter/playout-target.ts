/** The target playout delay of the jitter buffer: from the RFC 3550 jitter estimate, raised fast, lowered slowly, bounded. */

/** Parameters of the target. */
export interface PlayoutTargetOptions {
  /** Lowest target, ms. */
  readonly minDelayMs: number;
  /** Highest target, ms. */
  readonly maxDelayMs: number;
  /** The target is this many times the jitter estimate J. */
  readonly jitterMultiplier: number;
  /** Time constant of the target's decrease, ms. */
  readonly decayMs: number;
}

/**
 * The delay the buffer aims for, in ms beyond the least-delayed recent packet.
 * It follows `jitterMultiplier * J` at once when that rises, and at once to whatever a
 * late packet would have needed; it comes down towards `jitterMultiplier * J`
 * exponentially with the time constant `decayMs`. Always within [minDelayMs, maxDelayMs].
 */
export class PlayoutTarget {
  readonly #options: PlayoutTargetOptions;
  #targetMs: number;

  /** A target starting at the minimum. */
  constructor(options: PlayoutTargetOptions) {
    if (!(options.minDelayMs >= 0 && options.maxDelayMs >= options.minDelayMs)) {
      throw new RangeError(`delay bounds ${options.minDelayMs}..${options.maxDelayMs} ms`);
    }
    this.#options = options;
    this.#targetMs = options.minDelayMs;
  }

  /** The current target, ms. */
  get ms(): number {
    return this.#targetMs;
  }

  /** Follows a new jitter estimate upwards at once. */
  observeJitter(jitterMs: number): void {
    this.#targetMs = Math.max(this.#targetMs, this.#wanted(jitterMs));
  }

  /** A late packet needed `neededMs` of delay: the target rises to it at once (up to the maximum). */
  observeLate(neededMs: number): void {
    this.#targetMs = this.#clamp(Math.max(this.#targetMs, neededMs));
  }

  /** Lets `elapsedMs` pass: the target decays towards what the jitter estimate asks for. */
  decay(jitterMs: number, elapsedMs: number): void {
    const wanted = this.#wanted(jitterMs);
    if (this.#targetMs > wanted) {
      this.#targetMs = wanted + (this.#targetMs - wanted) * Math.exp(-elapsedMs / this.#options.decayMs);
    }
  }

  #wanted(jitterMs: number): number {
    return this.#clamp(this.#options.jitterMultiplier * jitterMs);
  }

  #clamp(ms: number): number {
    return Math.min(this.#options.maxDelayMs, Math.max(this.#options.minDelayMs, ms));
  }
}
