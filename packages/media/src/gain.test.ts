/** Golden samples of the speaker gain, saturation included. */
import { describe, expect, it } from 'vitest';
import { applyGain, checkGain } from './gain.js';

describe('applyGain', () => {
  it.each([
    // gain, input, output
    [1, [0, 1, -1, 20000, -32768, 32767], [0, 1, -1, 20000, -32768, 32767]],
    [2, [20000, -20000, 16383, 16384, -16384, -16385, 1, -1], [32767, -32768, 32766, 32767, -32768, -32768, 2, -2]],
    [2, [32767, -32768], [32767, -32768]],
    [0.5, [3, -3, 20000, -32768, 32767, 1], [2, -1, 10000, -16384, 16384, 1]],
    [0, [32767, -32768, 5], [0, 0, 0]],
    [1.5, [21845, 21846, -21845, -21846, -21847], [32767, 32767, -32767, -32768, -32768]],
  ])('gain %d: %j -> %j', (gain, input, output) => {
    const frame = Int16Array.from(input);
    applyGain(frame, gain);
    expect(Array.from(frame)).toEqual(output);
  });
});

describe('checkGain', () => {
  it.each([0, 0.25, 1, 2])('accepts %d', (gain) => {
    expect(() => checkGain(gain)).not.toThrow();
  });
  it.each([-0.01, 2.01, Number.NaN, Infinity, -Infinity])('refuses %d with a RangeError', (gain) => {
    expect(() => checkGain(gain)).toThrow(RangeError);
  });
});
