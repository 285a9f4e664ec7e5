/** Two secure call media back to back through a scripted channel: bit-exact on a clean one, concealment on loss, replays and forgeries counted and never played, no PCM on the wire. */
import { decodeRtpHeader } from '@voip/protocol/v2';
import { describe, expect, it } from 'vitest';
import { createToneSource } from './generators.js';
import { keepingSink, rampSample, rampSource, securePair } from '../test/support/secure-pair.js';

/** Checks that `played`, from the first ramp sample on, is the ramp sample for sample for `count` samples; returns where it starts. */
function expectRamp(played: Int16Array, count: number): number {
  const start = played.indexOf(rampSample(0));
  expect(start).toBeGreaterThanOrEqual(0);
  expect(played.subarray(0, start).every((s) => s === 0)).toBe(true); // silence while the buffer fills
  const got = played.subarray(start, start + count);
  expect(got.length).toBe(count);
  const expected = Int16Array.from({ length: count }, (_, n) => rampSample(n));
  expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(expected.buffer))).toBe(true);
  return start;
}

describe('secure call media back to back', () => {
  it.each([
    [160, 512, 512],
    [160, 160, 160],
    [512, 512, 512],
  ] as const)('carries audio bit-exactly each way on a clean channel (frames %i, source %i, sink %i samples)', async (frameSamples, sourceFrame, sinkFrame) => {
    const sinks = [keepingSink({ sampleRate: 8000, samplesPerFrame: sinkFrame }), keepingSink({ sampleRate: 8000, samplesPerFrame: sinkFrame })] as const;
    const { clock, a, b } = securePair({ sources: [rampSource(sourceFrame), rampSource(sourceFrame)], sinks: [...sinks], frameSamples, script: { delayMs: 7 } });
    a.start();
    b.start();
    clock.advance(3000);
    for (const [media, sink] of [
      [a, sinks[0]],
      [b, sinks[1]],
    ] as const) {
      const start = expectRamp(sink.samples(), 8000 * 2);
      // The playout delay: the 7 ms path, the buffer's target (a frame) and the sink's re-framing.
      expect(start / 8).toBeLessThanOrEqual(7 + 2 * (frameSamples / 8) + sinkFrame / 8);
      const s = media.stats();
      expect(s).toMatchObject({
        packetsLost: 0,
        packetsRejected: 0,
        packetsReplayed: 0,
        packetsLate: 0,
        packetsConcealed: 0,
        framesConcealed: 0,
        packetsDropped: 0,
        sendErrors: 0,
      });
      expect(s.packetsSent).toBe(Math.floor(3000 / (frameSamples / 8)) + 1);
      expect(s.jitterMs).toBeLessThan(0.01);
    }
    await a.stop();
    await b.stop();
  });

  it('conceals every loss at 5% random loss with 20 ms frames: no lost frame is played as silence', async () => {
    const sinks = [keepingSink(), keepingSink()] as const;
    const { clock, a, b, ab, ba } = securePair({
      sources: [createToneSource(437), createToneSource(311)],
      sinks: [...sinks],
      script: { loss: 0.05, seed: 7 },
      scriptBack: { loss: 0.05, seed: 8 },
    });
    a.start();
    b.start();
    clock.advance(20_000);
    for (const [media, sink, channel] of [
      [b, sinks[1], ab],
      [a, sinks[0], ba],
    ] as const) {
      expect(channel.lost).toBeGreaterThan(30);
      const s = media.stats();
      const first = sink.frames.findIndex((f) => f.some((x) => x !== 0));
      const silentAfter = sink.frames.slice(first).filter((f) => f.every((x) => x === 0)).length;
      expect(silentAfter).toBe(0);
      expect(s.framesConcealed).toBe(s.packetsConcealed); // no silence frame counted either
      expect(s.packetsConcealed).toBeGreaterThanOrEqual(channel.lost - 1); // the last may still be due
      expect(s.packetsLost).toBeLessThanOrEqual(channel.lost);
      expect(s.packetsLost).toBeGreaterThanOrEqual(channel.lost - 1);
      expect(s.packetsRejected + s.packetsReplayed + s.packetsLate).toBe(0);
    }
    await a.stop();
    await b.stop();
  });

  it('plays through jitter, reordering and duplication with concealment only, and counts duplicates as replayed', async () => {
    const sinks = [keepingSink(), keepingSink()] as const;
    const script = { loss: 0.05, duplicate: 0.05, delayMs: 10, jitterMs: 30, seed: 11 };
    const { clock, a, b, ab } = securePair({ sources: [createToneSource(437), createToneSource(311)], sinks: [...sinks], script });
    a.start();
    b.start();
    clock.advance(20_000);
    const s = b.stats();
    const first = sinks[1].frames.findIndex((f) => f.some((x) => x !== 0));
    expect(sinks[1].frames.slice(first).filter((f) => f.every((x) => x === 0))).toHaveLength(0);
    expect(s.packetsReplayed).toBe(ab.duplicated);
    expect(s.packetsRejected).toBe(0);
    expect(s.jitterMs).toBeGreaterThan(2);
    expect(s.playoutDelayMs).toBeGreaterThan(10);
    expect(s.playoutDelayMs).toBeLessThanOrEqual(240);
    expect(s.packetsReceived).toBe(ab.delivered);
    expect(ab.delivered).toBeGreaterThan(ab.sent.length - ab.lost + ab.duplicated - 3); // a few still on the way
    await a.stop();
    await b.stop();
  });

  it('counts replayed, too-old, tampered, foreign and malformed datagrams and never plays them', async () => {
    const sinks = [keepingSink(), keepingSink()] as const;
    const { clock, a, b, ab } = securePair({ sources: [rampSource(), rampSource()], sinks: [...sinks], script: { delayMs: 3 } });
    a.start();
    b.start();
    const injected = { replayed: 0, rejected: 0 };
    // Every 20 ms, once a few packets went by, the attacker replays and forges from what it captured.
    for (let t = 0; t < 2400; t += 20) {
      clock.advance(20);
      const seen = ab.sent;
      const n = seen.length;
      if (n > 3) {
        ab.inject(seen[n - 3]!); // a recent replay: in the window
        injected.replayed++;
      }
      if (n > 140) {
        ab.inject(seen[n - 140]!); // older than the window
        injected.replayed++;
      }
      if (n > 1) {
        const flipped = seen[n - 1]!.slice();
        flipped[12 + (n % 300)]! ^= 1 << (n % 8); // one bit of the ciphertext or tag
        ab.inject(flipped);
        const header = seen[n - 1]!.slice();
        header[3]! ^= 0x01; // the sequence number: authenticated, not encrypted
        ab.inject(header);
        const foreign = seen[n - 1]!.slice();
        foreign[11]! ^= 0xff; // another SSRC
        ab.inject(foreign);
        ab.inject(seen[n - 1]!.subarray(0, 27)); // too short for RTP and a tag
        injected.rejected += 4;
      }
    }
    const s = b.stats();
    expect(s.packetsReplayed).toBe(injected.replayed);
    expect(s.packetsRejected).toBe(injected.rejected);
    expect(s.droppedBadSize).toBe(120);
    expect(s.packetsLate + s.packetsLost + s.packetsConcealed).toBe(0);
    expectRamp(sinks[1].samples(), 8000 * 2);
    await a.stop();
    await b.stop();
  });

  it('sends no 16 consecutive bytes of the PCM, in either byte order, in any datagram', async () => {
    const sources = [createToneSource(437.3, { amplitude: 20000 }), createToneSource(1201.7, { amplitude: 20000 })] as const;
    const reference = [createToneSource(437.3, { amplitude: 20000 }), createToneSource(1201.7, { amplitude: 20000 })] as const;
    const { clock, a, b, ab, ba } = securePair({ sources: [...sources], sinks: [keepingSink(), keepingSink()] });
    a.start();
    b.start();
    clock.advance(4000);
    for (const [channel, ref] of [
      [ab, reference[0]],
      [ba, reference[1]],
    ] as const) {
      const windows = new Set<string>();
      for (let f = 0; f < 4000 / 64 + 1; f++) {
        const pcm = ref.readFrame()!;
        const le = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
        const be = Buffer.from(le).swap16();
        for (const bytes of [le, be]) for (let i = 0; i + 16 <= bytes.length; i += 2) windows.add(bytes.subarray(i, i + 16).toString('hex'));
      }
      expect(channel.sent.length).toBe(201);
      for (const datagram of channel.sent) {
        expect(datagram.length).toBe(12 + 320 + 16);
        expect(decodeRtpHeader(datagram).ok).toBe(true);
        const hex = Buffer.from(datagram).toString('hex');
        for (let i = 0; i + 32 <= hex.length; i += 2) expect(windows.has(hex.slice(i, i + 32))).toBe(false);
      }
    }
    await a.stop();
    await b.stop();
  });
});
