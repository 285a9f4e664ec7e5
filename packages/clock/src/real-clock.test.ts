// Tests of the real clock.
import { describe, expect, it } from 'vitest';
import { realClock } from './real-clock.js';

describe('realClock', () => {
  it('is monotonic and runs and clears timers', async () => {
    const a = realClock.now();
    let cleared = false;
    const h = realClock.setTimeout(() => (cleared = true), 5);
    realClock.clearTimeout(h);
    await new Promise<void>((resolve) => realClock.setTimeout(resolve, 20));
    expect(realClock.now()).toBeGreaterThanOrEqual(a + 15);
    expect(cleared).toBe(false);
  });
});
