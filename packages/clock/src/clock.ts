/** The clock port: time and timers, injected everywhere something waits. */
/** Opaque handle of a scheduled callback. */
export type TimerHandle = unknown;

/**
 * Time and scheduling, injected so that tests can drive virtual time.
 * `now()` is in milliseconds on a monotonic scale.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
