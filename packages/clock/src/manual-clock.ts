/** A virtual clock for tests: time moves only when the test says so. */
import type { Clock, TimerHandle } from './clock.js';

/** A {@link Clock} whose time moves only when a test says so. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, running every timer that falls due, in time order. */
  advance(ms: number): void;
  /**
   * Moves time to `t` (never backwards), running due timers in time order; timers
   * scheduled by those timers run too if they fall due by `t`. Timers due at the same
   * time run in the order they were scheduled.
   */
  advanceTo(t: number): void;
  /**
   * Like {@link advance}, for code that awaits between timers: lets pending promise
   * callbacks run before the first timer, after each one, and at the end.
   */
  advanceAsync(ms: number): Promise<void>;
  /** The number of timers scheduled and not yet run or cleared. */
  pending(): number;
}

/** Lets queued promise callbacks (and those they queue, a few levels deep) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

interface ManualTimer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

/** Creates a virtual clock starting at `start` ms, for tests of anything that waits. */
export function createManualClock(start = 0): ManualClock {
  let now = start;
  let seq = 0;
  // Kept sorted by (due, seq); only a handful of timers are ever pending.
  const timers: ManualTimer[] = [];

  function advanceTo(t: number): void {
    if (!Number.isFinite(t)) throw new RangeError(`cannot advance a manual clock to ${t}`);
    if (t < now) throw new RangeError(`cannot move a manual clock back from ${now} to ${t}`);
    for (;;) {
      const next = timers[0];
      if (next === undefined || next.due > t) break;
      timers.shift();
      now = next.due;
      next.callback();
    }
    now = t;
  }

  return {
    now: () => now,
    setTimeout(callback: () => void, delayMs: number): TimerHandle {
      const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
      const timer: ManualTimer = { due: now + delay, seq: seq++, callback };
      let i = timers.length;
      while (i > 0 && timers[i - 1]!.due > timer.due) i--;
      timers.splice(i, 0, timer);
      return timer;
    },
    clearTimeout(handle: TimerHandle): void {
      const i = timers.indexOf(handle as ManualTimer);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number): void {
      if (!(ms >= 0)) throw new RangeError(`cannot advance a manual clock by ${ms} ms`);
      advanceTo(now + ms);
    },
    advanceTo,
    async advanceAsync(ms: number): Promise<void> {
      if (!(ms >= 0)) throw new RangeError(`cannot advance a manual clock by ${ms} ms`);
      const end = now + ms;
      await settle();
      for (;;) {
        const next = timers[0];
        if (next === undefined || next.due > end) break;
        timers.shift();
        now = next.due;
        next.callback();
        await settle();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}
