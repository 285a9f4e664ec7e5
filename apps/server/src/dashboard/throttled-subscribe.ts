/** A store subscription that calls its listener at most once per interval, so a burst of events draws a few frames, not thousands. */
import type { Clock, TimerHandle } from '@voip/clock';

/** A `subscribe(listener) -> unsubscribe` function, as React's `useSyncExternalStore` takes. */
export type Subscribe = (listener: () => void) => () => void;

/** Frames per second at most the dashboard draws while events pour in. */
export const DASHBOARD_FRAME_MS = 40;

/**
 * Wraps `subscribe` so that each listener runs at once on the first change after a
 * quiet interval, then at most once per `intervalMs` (one trailing call carries every
 * change of the interval): the last change is always delivered.
 */
export function throttledSubscribe(subscribe: Subscribe, intervalMs: number, clock: Clock): Subscribe {
  return (listener) => {
    let lastCall = -Infinity;
    let timer: TimerHandle | undefined;
    const fire = () => {
      timer = undefined;
      lastCall = clock.now();
      listener();
    };
    const unsubscribe = subscribe(() => {
      if (timer !== undefined) return;
      const wait = lastCall + intervalMs - clock.now();
      if (wait <= 0) fire();
      else timer = clock.setTimeout(fire, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    };
  };
}
