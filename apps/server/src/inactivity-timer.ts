/** A deadline that moves with activity: it fires once `limitMs` pass without a `touch()`. */
import type { Clock, TimerHandle } from '@voip/clock';

/**
 * Fires `onExpire` once `limitMs` have passed since it was started or last touched.
 * A touch only records the time: the one timer re-arms itself for what is left when it
 * falls due, so touching on every chunk of input costs no timer churn.
 */
export class InactivityTimer {
  private last = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly limitMs: number,
    private readonly onExpire: () => void,
  ) {}

  /** True between {@link start} and {@link stop} (or expiry). */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts counting from now; a running timer is touched instead. */
  start(): void {
    this.last = this.clock.now();
    if (this.timer === undefined) this.arm(this.limitMs);
  }

  /** Activity: the deadline moves to `limitMs` from now. No effect while stopped. */
  touch(): void {
    if (this.timer !== undefined) this.last = this.clock.now();
  }

  /** Stops counting; {@link start} begins afresh. */
  stop(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => {
      const left = this.last + this.limitMs - this.clock.now();
      if (left > 0) {
        this.arm(left);
        return;
      }
      this.timer = undefined;
      this.onExpire();
    }, delayMs);
  }
}
