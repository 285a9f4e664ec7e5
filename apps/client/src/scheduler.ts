/**
 * Time for the client's own waits (retries, hang-up timers), injected so tests
 * drive virtual time. Same shape as @voip/media's Clock.
 */
export interface Scheduler {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
