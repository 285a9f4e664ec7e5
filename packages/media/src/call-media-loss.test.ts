/** Tests of call media's loss detection from the stream's schedule: senders late or stalled, receivers stalled, real losses. */
import { encodeClassicPcm } from '@voip/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock, type Clock, type ManualClock } from '@voip/clock';
import { datagram, random, recordingSink, setup } from '../test/support/call-media-harness.js';
import type { AudioSink, AudioSource } from './audio-port.js';
import { createCallMedia, type CallMediaOptions } from './call-media.js';
import { CLASSIC_FORMAT, createNullSink, createSilenceSource } from './generators.js';

/** Frame `i` of this source has all its samples at `i + 1`: distinct, never silent. */
function countingSource(): AudioSource {
  let i = 0;
  return { format: CLASSIC_FORMAT, label: 'counting', readFrame: () => new Int16Array(512).fill(++i), close: async () => {} };
}

/** A clock over `base` whose `n`-th timer (in the order they are scheduled) runs `lateness(n)` ms late. */
function laggingClock(base: ManualClock, lateness: (n: number) => number): Clock {
  let n = 0;
  return {
    now: () => base.now(),
    setTimeout: (callback, delayMs) => base.setTimeout(callback, delayMs + lateness(n++)),
    clearTimeout: (handle) => base.clearTimeout(handle),
  };
}

/**
 * A sending call media whose pump runs on a lagging clock, feeding a receiving one
 * directly (no network delay). `expected()` is what the receiver should play: each
 * frame the sender read, or silence where the sender skipped it.
 */
function link(lateness: (n: number) => number) {
  const clock = createManualClock();
  const sink = recordingSink();
  const receiver = createCallMedia({ source: createSilenceSource(), sink, clock, send: () => {} });
  const sentValues = new Set<number>();
  const sender = createCallMedia({
    source: countingSource(),
    sink: createNullSink(),
    clock: laggingClock(clock, lateness),
    send: (d) => {
      sentValues.add(new Int16Array(d.buffer, d.byteOffset, 1)[0]!);
      receiver.receive(d);
    },
  });
  const played = () => sink.frames.map((f) => f[0]!);
  const expected = () => Array.from({ length: Math.max(...sentValues) }, (_, i) => (sentValues.has(i + 1) ? i + 1 : 0));
  const run = async (frames: number) => {
    sender.start();
    clock.advance(64 * frames);
    await sender.stop();
    clock.advance(64 * 10); // settle holds and drain the playout queue
    await receiver.stop();
    return { sent: sender.stats(), received: receiver.stats() };
  };
  return { played, expected, run };
}

/**
 * Delivers frame `i` (samples `i + 1`) at `times[i]` ms; `null` means it was lost.
 * Frames sharing a time arrive back to back.
 */
async function script(times: readonly (number | null)[], options: Partial<CallMediaOptions> = {}) {
  const { clock, sink, media } = setup(createSilenceSource(), options);
  for (const [i, at] of times.entries()) {
    if (at === null) continue;
    clock.advanceTo(at);
    media.receive(datagram(i + 1));
  }
  clock.advance(64 * 10);
  const stats = media.stats();
  await media.stop();
  return { played: sink.frames.map((f) => f[0]!), stats };
}

/** `n` frames on schedule from `start`, with `jitter(i)` ms added to frame `i`. */
const paced = (n: number, start = 1000, jitter: (i: number) => number = () => 0) => Array.from({ length: n }, (_, i) => start + i * 64 + jitter(i));

/** 1..n with silence (0) at the given zero-based positions. */
const withSilenceAt = (n: number, positions: readonly number[]) => Array.from({ length: n }, (_, i) => (positions.includes(i) ? 0 : i + 1));

describe('createCallMedia loss detection from the schedule', () => {
  it.each([10, 48, 63, 64])('a sender %i ms late without skipping causes no concealment', async (lateMs) => {
    const { played, expected, run } = link((n) => (n === 6 ? lateMs : 0));
    const { sent, received } = await run(20);
    expect(sent).toMatchObject({ framesSkipped: 0, pumpLatenessMaxMs: lateMs });
    expect(received).toMatchObject({ packetsLost: 0, framesConcealed: 0, packetsDropped: 0 });
    expect(played()).toEqual(expected());
    expect(played()).not.toContain(0);
  });

  it('a sender late by up to 63 ms on every frame causes no concealment', async () => {
    const next = random(7);
    const { played, expected, run } = link(() => Math.floor(next() * 64));
    const { sent, received } = await run(500);
    expect(sent.framesSkipped).toBe(0);
    expect(sent.pumpLatenessMaxMs).toBeGreaterThan(60);
    expect(received).toMatchObject({ packetsLost: 0, framesConcealed: 0, packetsDropped: 0 });
    expect(played()).toEqual(expected());
  });

  it.each([
    { stalls: { 5: 64 * 1.2 }, skipped: 1 },
    { stalls: { 5: 64 * 3.5 }, skipped: 3 },
    { stalls: { 4: 64 * 1.5, 12: 64 * 5.2 }, skipped: 6 },
    { stalls: { 8: 64 * 2 + 1 }, skipped: 2 },
  ])('frames skipped by a stalled sender are concealed one for one, in place ($skipped)', async ({ stalls, skipped }) => {
    const lateness = new Map(Object.entries(stalls).map(([n, ms]) => [Number(n), ms]));
    const { played, expected, run } = link((n) => lateness.get(n) ?? 0);
    const { sent, received } = await run(30);
    expect(sent.framesSkipped).toBe(skipped);
    expect(received).toMatchObject({ packetsLost: skipped, framesConcealed: skipped, packetsDropped: 0 });
    expect(played()).toEqual(expected());
    expect(played().filter((v) => v === 0)).toHaveLength(skipped);
  });

  it('conceals one lost frame, in its place, when the next arrives on time', async () => {
    const times: (number | null)[] = paced(10);
    times[4] = null;
    const { played, stats } = await script(times);
    expect(played).toEqual(withSilenceAt(10, [4]));
    expect(stats).toMatchObject({ packetsLost: 1, framesConcealed: 1, packetsDropped: 0 });
  });

  it('conceals three lost frames in their place, with jitter below half a period around them', async () => {
    const jitter = [0, 20, 31, 5, 0, 0, 0, 25, 10, 31, 2];
    const times: (number | null)[] = paced(11, 1000, (i) => jitter[i]!);
    times[4] = times[5] = times[6] = null;
    const { played, stats } = await script(times);
    expect(played).toEqual(withSilenceAt(11, [4, 5, 6]));
    expect(stats).toMatchObject({ packetsLost: 3, framesConcealed: 3, packetsDropped: 0 });
  });

  it.each([2, 3, 5])('a receiver stall delivering %i queued frames at once conceals and drops nothing', async (burst) => {
    const times = paced(16);
    const release = times[4 + burst - 1]! + 5; // frames 4.. wait in the socket until the receiver wakes up
    for (let i = 4; i < 4 + burst; i++) times[i] = release;
    const { played, stats } = await script(times);
    expect(played).toEqual(withSilenceAt(16, []));
    expect(stats).toMatchObject({ packetsLost: 0, framesConcealed: 0, packetsDropped: 0 });
  });

  it('a receiver stall after a real loss conceals only the lost frame', async () => {
    const times: (number | null)[] = paced(14);
    times[4] = null;
    times[5] = times[6] = times[7] = times[7]! + 3;
    const { played, stats } = await script(times);
    expect(played).toEqual(withSilenceAt(14, [4]));
    expect(stats).toMatchObject({ packetsLost: 1, framesConcealed: 1, packetsDropped: 0 });
  });

  it.each([
    { name: 'first frame 50 ms late', first: 1050, second: 1064 },
    { name: 'first frame 63 ms late', first: 1063, second: 1064 },
    { name: 'first frame 100 ms late, the second right behind it', first: 1100, second: 1100 },
  ])('a late first frame moves the anchor back and conceals nothing ($name)', async ({ first, second }) => {
    const times = paced(12);
    times[0] = first;
    times[1] = second;
    const { played, stats } = await script(times);
    expect(played).toEqual(withSilenceAt(12, []));
    expect(stats).toMatchObject({ packetsLost: 0, framesConcealed: 0 });
  });

  it('after a late first frame, the corrected anchor places a later loss exactly', async () => {
    const times: (number | null)[] = paced(12);
    times[0] = 1063;
    times[7] = null;
    const { played, stats } = await script(times);
    expect(played).toEqual(withSilenceAt(12, [7]));
    expect(stats).toMatchObject({ packetsLost: 1, framesConcealed: 1 });
  });

  it.each([1, 2, 3])('an hour of frames with random jitter below half a period conceals nothing (seed %i)', async (seed) => {
    const next = random(seed);
    const frames = (3600 * 1000) / 64;
    const clock = createManualClock();
    let written = 0;
    let order = true;
    const sink: AudioSink = {
      format: CLASSIC_FORMAT,
      label: 'checking',
      writeFrame: (f) => {
        order &&= f[0] === (written % 30000) + 1;
        written++;
      },
      close: async () => {},
    };
    const media = createCallMedia({ source: createSilenceSource(), sink, clock, send: () => {} });
    const payload = new Int16Array(512);
    for (let i = 0; i < frames; i++) {
      clock.advanceTo(i * 64 + next() * 31.99);
      media.receive(encodeClassicPcm(payload.fill((i % 30000) + 1)));
    }
    clock.advance(64 * 10);
    expect(media.stats()).toMatchObject({ packetsReceived: frames, packetsLost: 0, framesConcealed: 0, packetsDropped: 0 });
    expect(written).toBe(frames);
    expect(order).toBe(true);
    await media.stop();
  });

  it('conceals exactly the lost frames, in place, under jitter below half a period', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ lostRun: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 5 })), jitter: fc.double({ min: 0, max: 31.9, noNaN: true }) }), {
          minLength: 1,
          maxLength: 60,
        }),
        async (steps) => {
          // The first frame arrives on schedule; each step is a received frame after `lostRun` lost ones.
          const times: (number | null)[] = [1000];
          const lost: number[] = [];
          for (const step of steps) {
            for (let k = 0; k < step.lostRun; k++) {
              lost.push(times.length);
              times.push(null);
            }
            times.push(1000 + times.length * 64 + step.jitter);
          }
          const { played, stats } = await script(times);
          expect(played).toEqual(withSilenceAt(times.length, lost));
          expect(stats).toMatchObject({ packetsLost: lost.length, framesConcealed: lost.length, packetsDropped: 0 });
        },
      ),
    );
  });

  it('with lossConfirmPeriods 0, decides at once (and so takes a receiver stall for a loss)', async () => {
    const lostTimes: (number | null)[] = paced(6);
    lostTimes[3] = null;
    const { clock, sink, media } = setup(createSilenceSource(), { lossConfirmPeriods: 0 });
    for (const [i, at] of lostTimes.entries()) {
      if (at === null) continue;
      clock.advanceTo(at);
      media.receive(datagram(i + 1));
      if (i === 4) expect(sink.frames.map((f) => f[0])).toEqual([1, 2, 3, 0, 5]); // no waiting
    }
    await media.stop();
    const stalled = paced(8);
    stalled[3] = stalled[4] = stalled[4]! + 1;
    expect((await script(stalled, { lossConfirmPeriods: 0 })).stats.framesConcealed).toBe(1);
  });

  it('holds a frame behind schedule for half a period, then plays silence before it', async () => {
    const { clock, sink, media, deliver } = setup();
    deliver([1, 2]);
    clock.advance(128); // frame 3 lost; frame 4 on time
    media.receive(datagram(4));
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2]);
    expect(media.stats()).toMatchObject({ packetsLost: 0, playoutBacklogFrames: 1 });
    clock.advance(31);
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2]);
    clock.advance(1);
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2, 0, 4]);
    expect(media.stats()).toMatchObject({ packetsLost: 1, framesConcealed: 1 });
    await media.stop();
  });

  it('stop() settles a pending hold: silence, then the held frame, and no timer left', async () => {
    const { clock, sink, media, deliver } = setup();
    deliver([1, 2]);
    clock.advance(128);
    media.receive(datagram(4));
    await media.stop();
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2, 0, 4]);
    expect(media.stats()).toMatchObject({ packetsLost: 1, framesConcealed: 1 });
    expect(clock.pending()).toBe(0);
  });

  it('settles an expired hold before a frame that comes before its timer runs', async () => {
    // A clock whose timers run late: the next frame gets in before the hold timer.
    const base = createManualClock();
    const sink = recordingSink();
    const media = createCallMedia({ source: createSilenceSource(), sink, clock: laggingClock(base, () => 1000), send: () => {} });
    const times: (number | null)[] = paced(8, 0);
    times[2] = null;
    times[5] = null;
    for (const [i, at] of times.entries()) {
      if (at === null) continue;
      base.advanceTo(at);
      media.receive(datagram(i + 1));
    }
    await media.stop();
    expect(sink.frames.map((f) => f[0])).toEqual(withSilenceAt(8, [2, 5]));
  });

  it.each([-0.1, 1.5, Number.NaN])('refuses lossConfirmPeriods %s', (value) => {
    expect(() => createCallMedia({ source: createSilenceSource(), sink: recordingSink(), send: () => {}, lossConfirmPeriods: value })).toThrow(RangeError);
  });
});
