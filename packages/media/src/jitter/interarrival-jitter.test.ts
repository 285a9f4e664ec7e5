/** Tests of the RFC 3550 interarrival jitter estimate. */

import { describe, expect, it } from 'vitest';
import { initialJitterEstimate, updateJitter } from './interarrival-jitter.js';

/** Folds (arrival ms, timestamp) pairs at 8 kHz. */
function fold(packets: readonly (readonly [number, number])[]) {
  return packets.reduce((estimate, [at, ts]) => updateJitter(estimate, at, ts, 8000), initialJitterEstimate);
}

describe('interarrival jitter', () => {
  it('is zero for a paced stream', () => {
    expect(fold(Array.from({ length: 50 }, (_, i) => [i * 20, i * 160] as const)).jitterMs).toBe(0);
  });

  it('moves by a sixteenth of |D| - J each packet (RFC 3550 A.8)', () => {
    const one = fold([
      [0, 0],
      [36, 160],
    ]); // D = 36 - 20 = 16 ms
    expect(one.jitterMs).toBe(1);
    const two = updateJitter(one, 52, 320, 8000); // D = 16 - 20 = -4 ms
    expect(two.jitterMs).toBeCloseTo(1 + (4 - 1) / 16, 12);
  });

  it('converges to the mean |D|: packets alternately on time and 10 ms late give 10 ms', () => {
    const packets = Array.from({ length: 400 }, (_, i) => [i * 20 + (i % 2 ? 10 : 0), i * 160] as const);
    expect(fold(packets).jitterMs).toBeCloseTo(10, 1);
  });

  it('spans the 32-bit timestamp wrap', () => {
    expect(
      fold([
        [0, 0xffffff60],
        [20, 0x00000000],
      ]).jitterMs,
    ).toBe(0);
  });

  it('takes no sample across a restart', () => {
    const before = fold([
      [0, 0],
      [20, 160],
    ]);
    expect(updateJitter(before, 40, 999_999, 8000, true)).toEqual({ jitterMs: 0, lastArrivalMs: 40, lastTimestamp: 999_999 });
  });
});
