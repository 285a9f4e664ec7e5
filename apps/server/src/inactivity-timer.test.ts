import { createManualClock } from '@voip/clock';
import { describe, expect, it } from 'vitest';
import { InactivityTimer } from './inactivity-timer.js';

function setup(limitMs = 1000) {
  const clock = createManualClock();
  const fired: number[] = [];
  const timer = new InactivityTimer(clock, limitMs, () => fired.push(clock.now()));
  return { clock, fired, timer };
}

describe('InactivityTimer', () => {
  it('fires limitMs after start when nothing touches it, once', () => {
    const { clock, fired, timer } = setup();
    timer.start();
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([1000]);
    expect(timer.running).toBe(false);
    clock.advance(5000);
    expect(fired).toEqual([1000]);
  });

  it('moves the deadline with every touch, with one timer', () => {
    const { clock, fired, timer } = setup();
    timer.start();
    for (let i = 0; i < 10; i++) {
      clock.advance(400);
      timer.touch();
    }
    expect(fired).toEqual([]);
    expect(clock.pending()).toBe(1);
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([5000]);
  });

  it('does nothing while stopped; a touch does not start it; start begins afresh', () => {
    const { clock, fired, timer } = setup();
    timer.touch();
    clock.advance(5000);
    expect(timer.running).toBe(false);
    timer.start();
    clock.advance(500);
    timer.stop();
    clock.advance(5000);
    expect(fired).toEqual([]);
    expect(clock.pending()).toBe(0);
    timer.start();
    clock.advance(1000);
    expect(fired).toEqual([11_500]);
  });

  it('treats a second start as a touch', () => {
    const { clock, fired, timer } = setup();
    timer.start();
    clock.advance(800);
    timer.start();
    clock.advance(800);
    expect(fired).toEqual([]);
    expect(clock.pending()).toBe(1);
    clock.advance(200);
    expect(fired).toEqual([1800]);
  });
});
