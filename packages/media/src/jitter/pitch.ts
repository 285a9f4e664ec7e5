/** Pitch period estimation by the average magnitude difference function (AMDF), as G.711 Appendix I and SpanDSP do. */

/** Shortest pitch period searched, samples: 200 Hz at 8 kHz (G.711 Appendix I, SpanDSP `PLC_PITCH_MIN`). */
export const PITCH_MIN = 40;
/** Longest pitch period searched, samples: 66.7 Hz at 8 kHz (`PLC_PITCH_MAX`). */
export const PITCH_MAX = 120;
/** Samples compared at each candidate lag: 20 ms at 8 kHz (`CORRELATION_SPAN`). */
export const CORRELATION_SPAN = 160;
/** History the estimate needs: the span plus the longest lag. */
export const PITCH_HISTORY = CORRELATION_SPAN + PITCH_MAX;

/**
 * The pitch period, in samples within [PITCH_MIN, PITCH_MAX], of the last
 * `CORRELATION_SPAN` samples of `history` (which holds at least `PITCH_HISTORY`).
 * Lag L scores the sum of |x[n] - x[n - L]| over the span; the shortest local minimum
 * within 15% of the best score wins, so a period is not taken for its double or triple
 * (which score about as well on a periodic signal).
 */
export function estimatePitch(history: Float32Array): number {
  if (history.length < PITCH_HISTORY) throw new RangeError(`pitch history of ${history.length} samples, need ${PITCH_HISTORY}`);
  const end = history.length;
  const start = end - CORRELATION_SPAN;
  const scores = new Float64Array(PITCH_MAX + 2);
  let best = Infinity;
  for (let lag = PITCH_MIN - 1; lag <= PITCH_MAX + 1; lag++) {
    const from = Math.max(0, start - lag);
    // A lag whose running sum already exceeds 15% above the best so far can win nothing:
    // its partial sum is kept (it is above the final bound too, so the choice below is
    // the same as with every sum complete), and the rest of the span skipped.
    const abandon = best * 1.15 + 1e-9;
    let sum = 0;
    let n = from + lag;
    while (n < end) {
      const stop = Math.min(end, n + 16);
      for (; n < stop; n++) sum += Math.abs(history[n]! - history[n - lag]!);
      if (sum > abandon) break;
    }
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
