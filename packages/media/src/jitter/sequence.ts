/** RTP sequence number and timestamp arithmetic: 16-bit and 32-bit wrap-around (RFC 3550 appendix A.1). */

/** Extends a 16-bit sequence number to the integer nearest `reference` with the same low 16 bits. */
export function extendSequence(sequence: number, reference: number): number {
  const delta = (((sequence - reference) & 0xffff) << 16) >> 16; // signed 16-bit difference
  return reference + delta;
}

/** The signed difference `b - a` of two 32-bit RTP timestamps, wrap-around included. */
export function timestampDelta(a: number, b: number): number {
  return (b - a) | 0;
}
