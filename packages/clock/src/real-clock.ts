/** The real clock behind the {@link Clock} port. */
import type { Clock, TimerHandle } from './clock.js';

/** The real clock: monotonic `performance.now()` and the global timers. */
export const realClock: Clock = Object.freeze({
  now: (): number => performance.now(),
  setTimeout: (callback: () => void, delayMs: number): TimerHandle => globalThis.setTimeout(callback, Math.max(0, delayMs)),
  clearTimeout: (handle: TimerHandle): void => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
});
