/** Tests of the dBFS level. */
import { describe, expect, it } from 'vitest';
import { levelDbfs } from './level.js';

describe('levelDbfs', () => {
  it('is -Infinity for digital silence and empty frames', () => {
    expect(levelDbfs(new Int16Array(512))).toBe(-Infinity);
    expect(levelDbfs(new Int16Array(0))).toBe(-Infinity);
  });

  it('is 0 dBFS for a full-scale square wave', () => {
    const f = new Int16Array(512).map((_, i) => (i % 2 ? -32768 : 32767));
    expect(levelDbfs(f)).toBeCloseTo(0, 3);
  });

  it('drops 6 dB when the amplitude halves', () => {
    const a = new Int16Array(512).map((_, i) => (i % 2 ? -16384 : 16384));
    const b = a.map((x) => x / 2);
    expect(levelDbfs(a) - levelDbfs(b)).toBeCloseTo(6.02, 2);
  });
});
