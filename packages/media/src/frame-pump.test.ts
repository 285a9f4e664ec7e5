/** Tests of the frame pump under a manual clock. */
import { describe, expect, it } from 'vitest';
import type { AudioSource } from './audio-port.js';
import { CLASSIC_FORMAT } from './generators.js';
import { createFramePump } from './frame-pump.js';
import { createManualClock } from '@voip/clock';

/** A source whose frame i is filled with the value i + 1, ending after `length` frames. */
function countingSource(length = Infinity): AudioSource & { reads: number } {
  const s = {
    format: CLASSIC_FORMAT,
    label: 'counting',
    reads: 0,
    readFrame(): Int16Array | null {
      if (s.reads >= length) return null;
      s.reads++;
      return new Int16Array(512).fill(s.reads);
    },
    async close() {},
  };
  return s;
}

describe('createFramePump', () => {
  it('emits frame i at exactly t0 + i*64 ms over an hour of virtual time, no drift', () => {
    const clock = createManualClock(1000);
    const times: number[] = [];
    let indexOk = true;
    const pump = createFramePump({
      source: countingSource(),
      clock,
      onFrame: (frame, index) => {
        if (index !== times.length || frame[0] !== ((index + 1) << 16) >> 16) indexOk = false;
        times.push(clock.now());
      },
    });
    pump.start();
    // An hour is 56,250 frames of 64 ms; advance in uneven steps.
    let t = 1000;
    while (t < 1000 + 3_600_000 - 64) {
      t = Math.min(t + 997, 1000 + 3_600_000 - 1);
      clock.advanceTo(t);
    }
    clock.advanceTo(1000 + 3_600_000 - 1);
    expect(times).toHaveLength(56_250);
    expect(indexOk).toBe(true);
    const wrong = times.findIndex((at, i) => at !== 1000 + i * 64);
    expect(wrong).toBe(-1);
    expect(pump.framesSent).toBe(56_250);
    expect(pump.framesSkipped).toBe(0);
    expect(pump.lateness.maxMs).toBe(0);
    pump.stop();
    expect(clock.pending()).toBe(0);
  });

  it('skips by index after a late timer (a blocked event loop)', () => {
    let now = 0;
    const queue: Array<{ due: number; cb: () => void }> = [];
    const clock = {
      now: () => now,
      setTimeout: (cb: () => void, ms: number) => {
        const t = { due: now + ms, cb };
        queue.push(t);
        return t;
      },
      clearTimeout: (h: unknown) => {
        const i = queue.indexOf(h as (typeof queue)[number]);
        if (i >= 0) queue.splice(i, 1);
      },
    };
    /** Runs the single pending timer at `at` (which may be later than its due time). */
    const runAt = (at: number) => {
      const t = queue.shift()!;
      now = Math.max(at, t.due);
      t.cb();
    };
    const sent: Array<[number, number, number]> = [];
    const source = countingSource();
    const pump = createFramePump({ source, clock, onFrame: (f, i) => sent.push([i, now, f[0]!]) });
    pump.start();
    runAt(0);
    runAt(64);
    // Stall: the timer due at 128 runs at 700. Deadlines: 128 (572 late), ..., 640 (60 late), 704.
    runAt(700);
    expect(sent.at(-1)).toEqual([10, 700, 11]);
    expect(pump.framesSkipped).toBe(8); // frames 2..9
    expect(source.reads).toBe(11); // skipped frames were read and discarded
    // Next: frame 11 due at 704, one at a time, no burst.
    expect(queue).toHaveLength(1);
    expect(queue[0]!.due).toBe(704);
    runAt(704);
    runAt(768);
    expect(sent.slice(-2).map(([i, at]) => [i, at])).toEqual([
      [11, 704],
      [12, 768],
    ]);
    // Late by less than a period: no skip, the frame goes out late and the next is on its deadline.
    runAt(832 + 50);
    expect(sent.at(-1)!.slice(0, 2)).toEqual([13, 882]);
    expect(queue[0]!.due).toBe(896);
    expect(pump.framesSkipped).toBe(8);
    expect(pump.lateness.maxMs).toBeGreaterThanOrEqual(60);
  });

  it('sends silence after the source ends and reports it once', () => {
    const clock = createManualClock();
    const frames: Int16Array[] = [];
    let ends = 0;
    const pump = createFramePump({ source: countingSource(2), clock, onFrame: (f) => frames.push(f), onSourceEnd: () => ends++ });
    pump.start();
    clock.advance(64 * 4);
    expect(frames.map((f) => f[0])).toEqual([1, 2, 0, 0, 0]);
    expect(frames[4]!.every((x) => x === 0)).toBe(true);
    expect(pump.sourceEnded).toBe(true);
    expect(ends).toBe(1);
    pump.stop();
  });

  it('treats a throwing source as ended, with the error', () => {
    const clock = createManualClock();
    const boom = new Error('disk gone');
    const errors: unknown[] = [];
    const source: AudioSource = {
      format: CLASSIC_FORMAT,
      label: 'x',
      readFrame: () => {
        throw boom;
      },
      close: async () => {},
    };
    const pump = createFramePump({ source, clock, onFrame: () => {}, onSourceEnd: (e) => errors.push(e) });
    pump.start();
    clock.advance(128);
    expect(pump.framesSent).toBe(3);
    expect(pump.sourceError).toBe(boom);
    expect(errors).toEqual([boom]);
    pump.stop();
  });

  it('stops, can be stopped from onFrame, and cannot restart', () => {
    const clock = createManualClock();
    let n = 0;
    const pump = createFramePump({
      source: countingSource(),
      clock,
      onFrame: () => {
        if (++n === 3) pump.stop();
      },
    });
    pump.start();
    pump.start();
    clock.advance(1000);
    expect(n).toBe(3);
    expect(clock.pending()).toBe(0);
    expect(() => pump.start()).toThrow();
  });

  it('paces other frame durations from the index too', () => {
    const clock = createManualClock(5);
    const times: number[] = [];
    const pump = createFramePump({ source: countingSource(), clock, frameDurationMs: 20, onFrame: () => times.push(clock.now()) });
    pump.start();
    clock.advance(100);
    expect(times).toEqual([5, 25, 45, 65, 85, 105]);
    pump.stop();
    expect(() => createFramePump({ source: countingSource(), clock, frameDurationMs: 0, onFrame: () => {} })).toThrow(RangeError);
  });
});
