/** The wall clock as a React hook that ticks once a second while a timer is on screen. */
import { useEffect, useState } from 'react';

/** `now()` (ms since the epoch), re-read every `intervalMs` while `active`. */
export function useNow(active: boolean, intervalMs = 1000, now: () => number = Date.now): number {
  const [value, setValue] = useState(now);
  useEffect(() => {
    if (!active) return;
    setValue(now());
    const timer = setInterval(() => setValue(now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, now]);
  return value;
}
