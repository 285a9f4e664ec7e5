import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then makes requests wait for the rate', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(100);
    expect(bucket.take(50)).toBe(50);
    expect(bucket.take(100)).toBe(0);
    expect(bucket.take(100)).toBe(100);
  });

  it('never holds more than the burst', () => {
    const bucket = new TokenBucket(10, 2, 0);
    expect(bucket.available(60_000)).toBe(2);
  });

  it('ignores a clock that goes back', () => {
    const bucket = new TokenBucket(1, 1, 1000);
    expect(bucket.take(1000)).toBe(0);
    expect(bucket.take(500)).toBe(1000);
  });

  it.each([
    [0, 1],
    [-1, 1],
    [1, 0],
    [Number.NaN, 1],
  ])('refuses rate %s burst %s', (rate, burst) => {
    expect(() => new TokenBucket(rate, burst, 0)).toThrow(RangeError);
  });
});
