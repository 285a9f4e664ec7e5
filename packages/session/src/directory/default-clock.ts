import type { Clock } from '@voip/media';

/** The real clock: `performance.now()` and the global timers. */
export const defaultClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
