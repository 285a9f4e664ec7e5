/** Tests of RTP sequence and timestamp wrap-around arithmetic. */

import { describe, expect, it } from 'vitest';
import { extendSequence, timestampDelta } from './sequence.js';

describe('sequence arithmetic', () => {
  it.each([
    [5, 3, 5],
    [3, 5, 3],
    [0, 65535, 65536],
    [65535, 65536, 65535],
    [2, 131070, 131074],
    [32767 + 100, 100, 32867],
    [32768 + 100, 100, -32668],
  ])('extends %i near %i to %i', (sequence, reference, extended) => {
    expect(extendSequence(sequence, reference)).toBe(extended);
    expect(extended & 0xffff).toBe(sequence);
  });

  it.each([
    [0, 160, 160],
    [160, 0, -160],
    [0xffffff00, 0x60, 0x160],
    [0x60, 0xffffff00, -0x160],
  ])('timestamp %i to %i is %i', (a, b, delta) => {
    expect(timestampDelta(a, b)).toBe(delta);
  });
});
