/** Audio level: the RMS of a frame in dBFS. */
/**
 * The RMS level of a frame in dBFS (0 dBFS = a full-scale square wave; a full-scale
 * sine is about -3 dBFS). Digital silence (or an empty frame) is `-Infinity`.
 */
export function levelDbfs(frame: Int16Array): number {
  if (frame.length === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const s = frame[i]! / 32768;
    sum += s * s;
  }
  if (sum === 0) return -Infinity;
  return 10 * Math.log10(sum / frame.length);
}
