/** Speaker gain: scaling int16 PCM in place with saturation, and the check of a gain value. */

/** The largest speaker gain (+6 dB); 1 leaves audio unchanged, 0 silences it. */
export const MAX_GAIN = 2;

/** Throws a RangeError unless `gain` is a finite number from 0 to {@link MAX_GAIN}. */
export function checkGain(gain: number): void {
  if (!(Number.isFinite(gain) && gain >= 0 && gain <= MAX_GAIN)) {
    throw new RangeError(`gain must be a number from 0 to ${MAX_GAIN}, got ${gain}`);
  }
}

/**
 * Multiplies every sample of `frame` by `gain`, in place: rounded to the nearest
 * integer (halves toward +Infinity, as `Math.round`) and saturated to
 * [-32768, 32767], so a loud frame clips instead of wrapping around.
 */
export function applyGain(frame: Int16Array, gain: number): void {
  if (gain === 1) return;
  for (let i = 0; i < frame.length; i++) {
    const v = Math.round(frame[i]! * gain);
    frame[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}
