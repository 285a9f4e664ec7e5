/** Tests of the target playout delay: fast up, slow down, bounded. */

import { describe, expect, it } from 'vitest';
import { PlayoutTarget } from './playout-target.js';

const options = { minDelayMs: 20, maxDelayMs: 240, jitterMultiplier: 3, decayMs: 4000 };

describe('playout target', () => {
  it('starts at the minimum and follows 3 J up at once', () => {
    const target = new PlayoutTarget(options);
    expect(target.ms).toBe(20);
    target.observeJitter(5);
    expect(target.ms).toBe(20);
    target.observeJitter(15);
    expect(target.ms).toBe(45);
  });

  it('rises to what a late packet needed, never beyond the maximum', () => {
    const target = new PlayoutTarget(options);
    target.observeLate(70);
    expect(target.ms).toBe(70);
    target.observeLate(1000);
    expect(target.ms).toBe(240);
  });

  it('comes down slowly: a time constant of 4 s towards 3 J', () => {
    const target = new PlayoutTarget(options);
    target.observeLate(120);
    target.decay(10, 4000);
    expect(target.ms).toBeCloseTo(30 + 90 / Math.E, 6);
    for (let i = 0; i < 1000; i++) target.decay(0, 100);
    expect(target.ms).toBeCloseTo(20, 6);
  });

  it('refuses bounds upside down', () => {
    expect(() => new PlayoutTarget({ ...options, minDelayMs: 300 })).toThrow(RangeError);
  });
});
