// Tests of the manual clock.
import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock.js';

describe('createManualClock', () => {
  it('runs due timers in time order, then scheduling order', () => {
    const clock = createManualClock(100);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => seen.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => seen.push(`c@${clock.now()}`), 20);
    expect(clock.pending()).toBe(3);
    clock.advance(15);
    expect(seen).toEqual(['a@110']);
    expect(clock.now()).toBe(115);
    clock.advanceTo(200);
    expect(seen).toEqual(['a@110', 'b@120', 'c@120']);
    expect(clock.pending()).toBe(0);
  });

  it('runs timers scheduled by timers when they fall due', () => {
    const clock = createManualClock();
    const seen: number[] = [];
    const again = () => {
      seen.push(clock.now());
      if (seen.length < 5) clock.setTimeout(again, 10);
    };
    clock.setTimeout(again, 10);
    clock.advance(35);
    expect(seen).toEqual([10, 20, 30]);
    clock.advance(100);
    expect(seen).toEqual([10, 20, 30, 40, 50]);
  });

  it('clears timers and refuses to go back', () => {
    const clock = createManualClock();
    let ran = false;
    const h = clock.setTimeout(() => (ran = true), 5);
    clock.clearTimeout(h);
    clock.clearTimeout({});
    clock.advance(10);
    expect(ran).toBe(false);
    expect(() => clock.advanceTo(5)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('treats negative delays as zero', () => {
    const clock = createManualClock(50);
    let at = -1;
    clock.setTimeout(() => (at = clock.now()), -10);
    clock.advance(0);
    expect(at).toBe(50);
  });
});
