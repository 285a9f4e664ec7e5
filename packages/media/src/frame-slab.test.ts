/** Tests of frame memory carved from shared slabs. */
import { describe, expect, it } from 'vitest';
import { allocateBytes, allocateFrame } from './frame-slab.js';

describe('frame slabs', () => {
  it('hands out zeroed frames that never share memory', () => {
    const frames = Array.from({ length: 200 }, () => allocateFrame(512));
    for (const f of frames) {
      expect(f.length).toBe(512);
      expect(f.every((s) => s === 0)).toBe(true);
      f.fill(7);
    }
    const spans = frames.map((f) => [f.buffer, f.byteOffset, f.byteOffset + f.byteLength] as const);
    for (let i = 0; i < spans.length; i++) {
      for (let j = i + 1; j < spans.length; j++) {
        const [ba, sa, ea] = spans[i]!;
        const [bb, sb, eb] = spans[j]!;
        if (ba === bb) expect(ea <= sb || eb <= sa).toBe(true);
      }
    }
    expect(allocateFrame(512).every((s) => s === 0)).toBe(true);
  });

  it('aligns every slot to 8 bytes, odd sizes included', () => {
    for (const n of [1, 3, 1024, 5, 2]) expect(allocateBytes(n).byteOffset % 8).toBe(0);
  });

  it('gives large requests their own buffer and refuses nonsense sizes', () => {
    const big = allocateBytes(64 * 1024);
    expect(big.byteLength).toBe(64 * 1024);
    expect(big.byteOffset).toBe(0);
    expect(() => allocateBytes(-1)).toThrow(RangeError);
    expect(() => allocateBytes(1.5)).toThrow(RangeError);
  });
});
