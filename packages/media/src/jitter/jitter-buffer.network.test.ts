/** The jitter buffer on simulated networks: seeded random loss and jitter, and a step in the path delay. */

import { describe, expect, it } from 'vitest';
import { JitterBuffer } from './jitter-buffer.js';

/** mulberry32: a small seeded generator of floats in [0, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Network {
  readonly frameSamples: number;
  readonly frames: number;
  readonly loss: number;
  readonly jitterMs: number;
  /** One-way delay of the path for the packet of frame k, ms. */
  readonly pathMs: (k: number) => number;
  readonly seed: number;
}

/** Sends `frames` packets through the network into a buffer read every period (at phase 7 ms); returns what played. */
function simulate(net: Network) {
  const rand = random(net.seed);
  const period = (net.frameSamples * 1000) / 8000;
  const buffer = new JitterBuffer({ frameSamples: net.frameSamples });
  const arrivals: { k: number; at: number }[] = [];
  let lost = 0;
  for (let k = 0; k < net.frames; k++) {
    const drop = rand() < net.loss;
    const at = k * period + net.pathMs(k) + rand() * net.jitterMs;
    if (drop) lost++;
    else arrivals.push({ k, at });
  }
  arrivals.sort((a, b) => a.at - b.at);
  const kinds: string[] = [];
  const mouthToEar: number[] = []; // play time minus the time the frame was complete, beyond the path delay
  const delays: number[] = [];
  let next = 0;
  let started = false;
  for (let j = 1; next < arrivals.length || buffer.stats().buffered > 0; j++) {
    const now = j * period + 7;
    for (; next < arrivals.length && arrivals[next]!.at <= now; next++) {
      const { k, at } = arrivals[next]!;
      buffer.put({ sequence: k & 0xffff, timestamp: (5000 + k * net.frameSamples) >>> 0, payload: new Int16Array(net.frameSamples) }, at);
    }
    const frame = buffer.get(now);
    started ||= frame.kind === 'played';
    if (!started) continue;
    kinds.push(frame.kind);
    delays.push(buffer.stats().playoutDelayMs);
    if (frame.sequence !== undefined) mouthToEar.push(now - frame.sequence * period - net.pathMs(frame.sequence));
  }
  const count = (kind: string) => kinds.filter((k) => k === kind).length;
  return { stats: buffer.stats(), lost, kinds, delays, mouthToEar, silentAfterStart: count('silence'), concealedAfterStart: count('concealed') };
}

describe('jitter buffer on a simulated network', () => {
  it.each([
    { frameSamples: 160, delayP99: 60, mouthP99: 80, silent: 0 },
    { frameSamples: 512, delayP99: 64 + 40, mouthP99: 64 + 60, silent: 5 },
  ])('5% random loss + 30 ms jitter, $frameSamples-sample frames: silence only past 60 ms of loss, few late, bounded delay', ({ frameSamples, delayP99, mouthP99, silent }) => {
    const frames = Math.round(60_000 / ((frameSamples * 1000) / 8000)); // one minute
    const run = simulate({ frameSamples, frames, loss: 0.05, jitterMs: 30, pathMs: () => 40, seed: 7 });
    const figures = {
      jitterMs: run.stats.jitterMs,
      lateShare: run.stats.late / frames,
      delayP50: percentile(run.delays, 50),
      delayP99: percentile(run.delays, 99),
      mouthToEarP50: percentile(run.mouthToEar, 50),
      mouthToEarP99: percentile(run.mouthToEar, 99),
      lost: run.lost,
      concealed: run.concealedAfterStart,
      silent: run.silentAfterStart,
    };
    console.log(`5% loss + 30 ms jitter, ${frameSamples}-sample frames:`, JSON.stringify(figures));
    expect(run.stats.jitterMs).toBeGreaterThan(7); // two uniform 0..30 ms draws differ by 10 ms on average
    expect(run.stats.jitterMs).toBeLessThan(13);
    const gapFrames = Math.ceil(60 / ((frameSamples * 1000) / 8000)); // frames a gap lasts before it may go silent
    run.kinds.forEach((kind, i) => {
      if (kind === 'silence') expect(run.kinds.slice(i - gapFrames, i)).not.toContain('played');
    });
    expect(run.silentAfterStart).toBeLessThanOrEqual(silent);
    expect(figures.lateShare).toBeLessThan(0.01);
    expect(figures.delayP99).toBeLessThanOrEqual(delayP99);
    expect(figures.mouthToEarP99).toBeLessThanOrEqual(mouthP99);
    expect(run.stats.received).toBe(run.stats.played + run.stats.late + run.stats.duplicate + run.stats.discarded + run.stats.buffered);
  });

  it('the path delay steps up by 100 ms for 20 s, then back: grows at once, shrinks within 10 s', () => {
    const frames = 3000; // 60 s of 20 ms frames
    const pathMs = (k: number) => (k >= 1000 && k < 2000 ? 140 : 40);
    const run = simulate({ frameSamples: 160, frames, loss: 0, jitterMs: 10, pathMs, seed: 11 });
    const beforeStep = run.delays.slice(500, 1000);
    const duringStep = run.delays.slice(1100, 1900);
    const afterRecovery = run.delays.slice(2500, 3000); // from 10 s after the step back
    console.log(
      'delay step:',
      JSON.stringify({
        late: run.stats.late,
        discarded: run.stats.discarded,
        beforeP99: percentile(beforeStep, 99),
        duringP50: percentile(duringStep, 50),
        afterRecoveryP99: percentile(afterRecovery, 99),
      }),
    );
    expect(run.stats.late).toBeLessThanOrEqual(8); // the packets of the first 100 ms after the step
    expect(percentile(afterRecovery, 99)).toBeLessThanOrEqual(percentile(beforeStep, 99) + 20);
    expect(Math.max(...run.delays)).toBeLessThanOrEqual(240 + 20);
  });
});
