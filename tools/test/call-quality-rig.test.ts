// The call-quality rig on one profile for a few seconds: its figures agree with the relay's own counters and profile.
import { describe, expect, test } from 'vitest';
import { PROFILES, measureStream, summarise } from '../bench/call-quality-rig.mjs';

describe('summarise', () => {
  test('loss, bursts, duplicates, reordering and delay percentiles of a scripted arrival list', () => {
    const arrivals = [0, 2, 1, 1, 5, 9].map((index, i) => ({ index, delayMs: 10 + i }));
    const s = summarise(20, 10, arrivals);
    expect(s).toMatchObject({ sent: 10, received: 5, lossPercent: 50, burstLengths: { 2: 1, 3: 1 }, maxBurst: 3, duplicates: 1, reordered: 1 });
    expect(s.delayMs).toEqual({ p50: 12, p99: 15, max: 15 });
    expect(s.eModel!.r).toBeLessThan(50);
  });
});

describe('measureStream', () => {
  test('5% loss + 30 ms jitter, 20 ms frames for 3 s each way: every datagram accounted for, delay within the jitter', async () => {
    const m = await measureStream({ profile: 'loss5-jitter30', frameMs: 20, durationMs: 3000, seed: 3 });
    console.log(JSON.stringify({ forward: m.forward, backward: m.backward }));
    expect(PROFILES['loss5-jitter30']).toEqual({ loss: 0.05, jitterMs: 30 });
    for (const [dir, counts] of [
      [m.forward, m.relay.forward],
      [m.backward, m.relay.backward],
    ] as const) {
      expect(dir.sent).toBe(150);
      expect(counts.received).toBe(150);
      expect(dir.received).toBe(150 - counts.dropped);
      expect(dir.lossPercent).toBeLessThan(15);
      expect(dir.duplicates).toBe(0);
      expect(dir.delayMs.p50!).toBeGreaterThan(5);
      // Jitter is uniform in [0, 30) ms; loopback and timers add a little on a loaded machine.
      expect(dir.delayMs.p99!).toBeLessThan(30 + 25);
      expect(dir.eModel!.mos).toBeGreaterThan(1);
    }
    expect(m.forward.reordered + m.backward.reordered, 'packets closer than the jitter overtake each other').toBeGreaterThan(0);
  });
});
