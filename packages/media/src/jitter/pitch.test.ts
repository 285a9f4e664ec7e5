/** Tests of the pitch estimate: it picks what the complete AMDF picks, lags abandoned early or not, on voiced, noisy and silent histories. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORRELATION_SPAN, PITCH_HISTORY, PITCH_MAX, PITCH_MIN, estimatePitch } from './pitch.js';

/** The estimate with every lag's sum complete: the rule written out plainly. */
function referencePitch(history: Float32Array): number {
  const end = history.length;
  const start = end - CORRELATION_SPAN;
  const scores = new Float64Array(PITCH_MAX + 2);
  let best = Infinity;
  for (let lag = PITCH_MIN - 1; lag <= PITCH_MAX + 1; lag++) {
    let sum = 0;
    for (let n = Math.max(0, start - lag) + lag; n < end; n++) sum += Math.abs(history[n]! - history[n - lag]!);
    scores[lag] = sum;
    if (lag >= PITCH_MIN && lag <= PITCH_MAX && sum < best) best = sum;
  }
  const bound = best * 1.15 + 1e-9;
  for (let lag = PITCH_MIN; lag <= PITCH_MAX; lag++) {
    const score = scores[lag]!;
    if (score <= bound && score <= scores[lag - 1]! && score <= scores[lag + 1]!) return lag;
  }
  return scores.indexOf(best, PITCH_MIN);
}

const voiced = (period: number, noise: number, seed: number) => {
  let state = seed >>> 0 || 1;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return Float32Array.from({ length: PITCH_HISTORY }, (_, n) => 8000 * Math.sin((2 * Math.PI * n) / period) + 3000 * Math.sin((4 * Math.PI * n) / period + 1) + noise * random());
};

describe('estimatePitch', () => {
  it('finds the period of a voiced sound', () => {
    for (const period of [40, 57, 80, 99, 120]) expect(estimatePitch(voiced(period, 0, 1))).toBe(period);
  });

  it('property: the same lag as the complete AMDF, on periodic sounds with noise and on noise alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 130 }), fc.integer({ min: 0, max: 20000 }), fc.integer(), (period, noise, seed) => {
        const history = voiced(period, noise, seed);
        expect(estimatePitch(history)).toBe(referencePitch(history));
      }),
      { numRuns: 300 },
    );
  });

  it('silence and a constant give the shortest lag, as the complete AMDF does', () => {
    for (const value of [0, 1234]) {
      const history = new Float32Array(PITCH_HISTORY).fill(value);
      expect(estimatePitch(history)).toBe(referencePitch(history));
      expect(estimatePitch(history)).toBe(PITCH_MIN);
    }
  });
});
