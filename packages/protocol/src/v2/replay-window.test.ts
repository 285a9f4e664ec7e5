// Tests of the replay window: the span, 512 replays, reordering, and a property against a plain set.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ReplayWindow } from './index.js';

/** Commits every index in order, checking each is fresh first. */
function accept(window: ReplayWindow, indices: readonly number[]): ReplayWindow {
  return indices.reduce((w, index) => {
    expect(w.check(index), `index ${index}`).toBe('fresh');
    return w.commit(index);
  }, window);
}

describe('replay window', () => {
  test('an empty window takes any index; a committed one is replayed; check alone marks nothing', () => {
    const empty = ReplayWindow.create();
    expect(empty.size).toBe(128);
    expect(empty.top).toBe(-1);
    expect(empty.check(5)).toBe('fresh');
    expect(empty.check(5)).toBe('fresh');
    const one = empty.commit(5);
    expect(one.check(5)).toBe('replayed');
    expect(empty.check(5)).toBe('fresh'); // commit returned a new window
    expect(one.top).toBe(5);
  });

  test('the window holds exactly `size` indices: top - 127 is checked, top - 128 is too old', () => {
    const w = accept(ReplayWindow.create(), [1000]);
    expect(w.check(1000 - 127)).toBe('fresh');
    expect(w.check(1000 - 128)).toBe('too-old');
    expect(w.commit(1000 - 128)).toBe(w); // an index outside the window changes nothing
    expect(w.commit(1000 - 127).check(1000 - 127)).toBe('replayed');
  });

  test('each of 512 replayed packets is refused', () => {
    const indices = Array.from({ length: 512 }, (_, i) => 70_000 + i);
    const w = accept(ReplayWindow.create(), indices);
    for (const index of indices) expect(w.check(index), `index ${index}`).not.toBe('fresh');
    for (const index of indices.slice(-128)) expect(w.check(index)).toBe('replayed');
  });

  test('reordering within the window is accepted, and a packet later than the window is refused', () => {
    let w = accept(ReplayWindow.create(), [0, 1, 2, 5, 4, 3, 10, 7, 9, 8, 6, 200]);
    for (let i = 200 - 127; i < 200; i++) w = accept(w, [i]); // every gap inside the window fills
    expect(w.check(200 - 128)).toBe('too-old');
    expect(w.check(11)).toBe('too-old');
  });

  test('a jump wider than the window forgets everything before it', () => {
    const w = accept(ReplayWindow.create(), [1, 2, 3, 10_000]);
    expect(w.check(9_999)).toBe('fresh');
    expect(w.check(3)).toBe('too-old');
  });

  test('a window of fewer than 64 packets is refused', () => {
    expect(() => ReplayWindow.create(63)).toThrow(RangeError);
    expect(ReplayWindow.create(1024).size).toBe(1024);
  });

  test('property: the window agrees with a set of everything committed, within its span', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 0, max: 2 ** 48 - 1 }).map((n) => n % 600),
          { maxLength: 400 },
        ),
        fc.constantFrom(64, 100, 128, 256, 1000), // 100 and 1000: a last word only partly used
        (indices, size) => {
          let w = ReplayWindow.create(size);
          const seen = new Set<number>();
          let top = -1;
          for (const index of indices) {
            const expected = index > top ? 'fresh' : top - index >= size ? 'too-old' : seen.has(index) ? 'replayed' : 'fresh';
            expect(w.check(index)).toBe(expected);
            if (expected === 'fresh') {
              w = w.commit(index);
              seen.add(index);
              top = Math.max(top, index);
            }
          }
        },
      ),
    );
  });
});
