/** Tests of call media's in-call controls: mute, speaker gain, call duration. */
import { decodeClassicPcm, encodeClassicPcm } from '@voip/protocol';
import { describe, expect, it } from 'vitest';
import { datagram, setup } from '../test/support/call-media-harness.js';
import { createToneSource } from './generators.js';

describe('createCallMedia mute', () => {
  it('sends silence on time while muted, and the source again once unmuted, still aligned', async () => {
    const reference = createToneSource(440);
    const { clock, sent, media } = setup(createToneSource(440));
    media.start();
    clock.advance(64 * 2); // frames 0..2: tone
    media.setMuted(true);
    expect(media.muted).toBe(true);
    clock.advance(64 * 3); // frames 3..5: silence
    media.setMuted(false);
    clock.advance(64 * 2); // frames 6..7: tone, where the source is by now
    expect(sent).toHaveLength(8);
    expect(sent.every((d) => d.length === 1024)).toBe(true);
    const expected = Array.from({ length: 8 }, (_, i) => {
      const frame = reference.readFrame()!;
      return i >= 3 && i <= 5 ? new Uint8Array(1024) : encodeClassicPcm(frame);
    });
    sent.forEach((d, i) => expect(Array.from(d), `frame ${i}`).toEqual(Array.from(expected[i]!)));
    expect(media.stats().packetsSent).toBe(8);
    await media.stop();
  });

  it('meters what goes out: -Infinity while muted', async () => {
    const { clock, media } = setup(createToneSource(440));
    media.start();
    clock.advance(64);
    expect(media.stats().inputLevelDbfs).toBeGreaterThan(-16);
    media.setMuted(true);
    clock.advance(64);
    expect(media.stats().inputLevelDbfs).toBe(-Infinity);
    await media.stop();
  });

  it('does not touch the received side', async () => {
    const { sink, media, deliver } = setup();
    media.setMuted(true);
    deliver([7, 8]);
    expect(sink.frames.map((f) => f[0])).toEqual([7, 8]);
    await media.stop();
  });
});

describe('createCallMedia gain', () => {
  it.each([
    // gain, received sample, played sample
    [1, 20000, 20000],
    [2, 20000, 32767],
    [2, -20000, -32768],
    [2, 100, 200],
    [0.5, 101, 51],
    [0.5, -101, -50],
    [0, 32767, 0],
    [1.5, -30000, -32768],
  ])('gain %d plays %i as %i', async (gain, received, played) => {
    const { sink, media, deliver } = setup();
    media.setGain(gain);
    expect(media.gain).toBe(gain);
    deliver([received]);
    expect(Array.from(sink.frames[0]!)).toEqual(new Array(512).fill(played));
    await media.stop();
  });

  it('applies a new gain to frames already waiting in the playout queue', async () => {
    const { clock, sink, media } = setup();
    // A burst of four: two are written through, two wait.
    for (const v of [1000, 1001, 1002, 1003]) media.receive(datagram(v));
    expect(sink.frames).toHaveLength(2);
    media.setGain(2);
    clock.advance(64 * 4);
    expect(sink.frames.map((f) => f[0])).toEqual([1000, 1001, 2004, 2006]);
    await media.stop();
  });

  it('leaves the received level meter at the level received', async () => {
    const { media, deliver } = setup();
    media.setGain(2);
    deliver([100]);
    expect(media.stats().outputLevelDbfs).toBeCloseTo(20 * Math.log10(100 / 32768), 5);
    await media.stop();
  });

  it('leaves the datagram the caller passed untouched', async () => {
    const { clock, media } = setup();
    media.setGain(2);
    const d = datagram(300);
    clock.advance(64);
    media.receive(d);
    expect(Array.from(decodeClassicPcm(d))).toEqual(new Array(512).fill(300));
    await media.stop();
  });

  it.each([-0.5, 2.5, Number.NaN, Infinity])('refuses gain %d with a RangeError and keeps the old one', async (gain) => {
    const { media } = setup();
    media.setGain(0.5);
    expect(() => media.setGain(gain)).toThrow(RangeError);
    expect(media.gain).toBe(0.5);
    await media.stop();
  });
});

describe('createCallMedia durationMs', () => {
  it('is 0 before start, counts from start on the injected clock, and freezes at stop', async () => {
    const { clock, media } = setup();
    clock.advance(500);
    expect(media.stats().durationMs).toBe(0);
    media.start();
    clock.advance(1234);
    expect(media.stats().durationMs).toBe(1234);
    await media.stop();
    clock.advance(10_000);
    expect(media.stats().durationMs).toBe(1234);
  });

  it('is 0 for a call media stopped before it started', async () => {
    const { clock, media } = setup();
    clock.advance(100);
    await media.stop();
    expect(media.stats().durationMs).toBe(0);
  });
});
