/** Tests of the lateness meter. */
import { describe, expect, it } from 'vitest';
import { LatenessMeter } from './lateness.js';

describe('LatenessMeter', () => {
  it('is all zero before any sample', () => {
    expect(new LatenessMeter().stats()).toEqual({ count: 0, lastMs: 0, meanMs: 0, maxMs: 0, p99Ms: 0 });
  });

  it('gives the 99th percentile to the millisecond', () => {
    const m = new LatenessMeter();
    for (let i = 0; i < 990; i++) m.record(1.5);
    for (let i = 0; i < 10; i++) m.record(250);
    let s = m.stats();
    expect(s.p99Ms).toBe(1);
    expect(s.maxMs).toBe(250);
    m.record(5000);
    m.record(-3);
    s = m.stats();
    expect(s.p99Ms).toBe(250);
    expect(s.maxMs).toBe(5000);
    expect(s.lastMs).toBe(0);
    expect(s.count).toBe(1002);
  });
});
