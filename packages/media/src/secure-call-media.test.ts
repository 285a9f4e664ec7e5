/** Tests of secure call media on its own: the RTP it sends, mute, gain, stop, failures and refused options. */
import { createManualClock } from '@voip/clock';
import { createMediaReceiver, decodeRtpHeader, openMedia } from '@voip/protocol/v2';
import { describe, expect, it } from 'vitest';
import { AudioFormatMismatchError } from './errors.js';
import { createSilenceSource } from './generators.js';
import { decodeL16 } from './l16.js';
import { createSecureCallMedia } from './secure-call-media.js';
import { keepingSink, pairParams, rampSample, rampSource, securePair } from '../test/support/secure-pair.js';

function single(frameSamples: 160 | 512 = 160, source = rampSource()) {
  const clock = createManualClock();
  const params = pairParams(frameSamples);
  const sent: Uint8Array[] = [];
  const sink = keepingSink({ sampleRate: 8000, samplesPerFrame: 512 });
  const errors: unknown[] = [];
  const media = createSecureCallMedia({ source, sink, clock, send: (d) => sent.push(d), v2: params.a, onError: (e) => errors.push(e) });
  /** Opens what was sent with the peer's key, in order. */
  const open = () => {
    let receiver = createMediaReceiver(params.a.ssrc);
    return sent.map((d) => {
      const opened = openMedia(params.b.receiveKey, receiver, d);
      if (!opened.ok) throw new Error(opened.code);
      receiver = opened.value.receiver;
      return opened.value.packet;
    });
  };
  return { clock, params, sent, sink, media, errors, open, source };
}

describe('createSecureCallMedia', () => {
  it('sends one sealed RTP packet every 20 ms: payload type, sequence and timestamp from the agreed start, M on the first', async () => {
    const { clock, params, sent, media, open } = single();
    media.start();
    clock.advance(20 * 99);
    expect(sent).toHaveLength(100);
    expect(sent.every((d) => d.length === 348)).toBe(true);
    const packets = open();
    packets.forEach((p, i) => {
      expect(p.payloadType).toBe(96);
      expect(p.ssrc).toBe(params.a.ssrc);
      expect(p.sequence).toBe((params.a.firstSequence + i) & 0xffff);
      expect(p.timestamp).toBe((params.a.firstTimestamp + i * 160) % 2 ** 32); // wraps past 2^32 within the call
      expect(p.marker).toBe(i === 0);
      expect(Array.from(decodeL16(p.payload)!)).toEqual(Array.from({ length: 160 }, (_, k) => rampSample(i * 160 + k)));
    });
    expect(media.stats()).toMatchObject({ packetsSent: 100, framesSkipped: 0, sendErrors: 0, sourceEnded: false });
    await media.stop();
  });

  it('after a stall, leaves the sequence numbers and timestamps of the skipped frames unused', async () => {
    // A clock that can jump ahead of its timers: a timer then runs late, as after a blocked event loop.
    const manual = createManualClock();
    let lag = 0;
    const clock = { now: () => manual.now() + lag, setTimeout: manual.setTimeout, clearTimeout: manual.clearTimeout };
    const params = pairParams();
    const sent: Uint8Array[] = [];
    const media = createSecureCallMedia({ source: rampSource(), sink: keepingSink(), clock, send: (d) => sent.push(d), v2: params.a });
    media.start();
    manual.advance(20 * 4);
    lag = 20 * 6; // the timer of frame 5 runs 120 ms late: frames 5 to 9 are skipped, 10 goes out
    manual.advance(20 * 4);
    let receiver = createMediaReceiver(params.a.ssrc);
    const packets = sent.map((d) => {
      const opened = openMedia(params.b.receiveKey, receiver, d);
      if (!opened.ok) throw new Error(opened.code);
      receiver = opened.value.receiver;
      return opened.value.packet;
    });
    expect(media.stats().framesSkipped).toBe(5);
    const frameIndices = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14];
    expect(packets.map((p) => (p.sequence - params.a.firstSequence) & 0xffff)).toEqual(frameIndices);
    expect(packets.map((p) => ((p.timestamp - params.a.firstTimestamp) >>> 0) / 160)).toEqual(frameIndices);
    expect(Array.from(decodeL16(packets[5]!.payload)!.subarray(0, 2))).toEqual([rampSample(1600), rampSample(1601)]);
    await media.stop();
  });

  it('sends 512-sample frames every 64 ms when so agreed (1052-byte packets)', async () => {
    const { clock, sent, media, open } = single(512);
    media.start();
    clock.advance(64 * 9);
    expect(sent.map((d) => d.length)).toEqual(Array(10).fill(1052));
    expect(open().map((p) => (p.timestamp - open()[0]!.timestamp) >>> 0)).toEqual(Array.from({ length: 10 }, (_, i) => i * 512));
    await media.stop();
  });

  it('muted, still sends every 20 ms, silence, and keeps the source aligned', async () => {
    const { clock, media, open } = single();
    media.start();
    clock.advance(20 * 4);
    media.setMuted(true);
    expect(media.muted).toBe(true);
    clock.advance(20 * 5);
    expect(media.stats().inputLevelDbfs).toBe(-Infinity);
    media.setMuted(false);
    clock.advance(20);
    const payloads = open().map((p) => decodeL16(p.payload)!);
    expect(payloads).toHaveLength(11);
    expect(payloads.slice(5, 10).every((f) => f.every((s) => s === 0))).toBe(true);
    expect(payloads[10]![0]).toBe(rampSample(10 * 160));
    await media.stop();
  });

  it('plays with the speaker gain, saturated', async () => {
    const sinks = [keepingSink(), keepingSink()] as const;
    const { clock, a, b } = securePair({ sources: [rampSource(), rampSource()], sinks: [...sinks] });
    b.setGain(2);
    expect(b.gain).toBe(2);
    expect(() => b.setGain(2.5)).toThrow(RangeError);
    a.start();
    b.start();
    clock.advance(1000);
    const played = sinks[1].samples();
    const start = played.indexOf(2 * rampSample(0));
    expect(start).toBeGreaterThan(0);
    expect(Array.from(played.subarray(start, start + 5))).toEqual([2, 4, 6, 8, 10]);
    // The level is the one received, before the gain.
    expect(b.stats().outputLevelDbfs).toBeLessThanOrEqual(20 * Math.log10(Math.max(...played) / 2 / 32768) + 1e-9);
    await a.stop();
    await b.stop();
  });

  it('writes silence to the sink from start() until the first packet plays', async () => {
    const { clock, sink, media } = single();
    media.start();
    clock.advance(20 * 31);
    expect(sink.frames).toHaveLength(10); // 32 frames of 160 make 10 of 512
    expect(sink.samples().every((s) => s === 0)).toBe(true);
    expect(media.stats()).toMatchObject({ packetsReceived: 0, framesConcealed: 0, packetsConcealed: 0, playoutBacklogFrames: 0 });
    await media.stop();
  });

  it('stop() stops both pumps, writes what the sink re-framer holds, closes source and sink, and ignores later datagrams; idempotent', async () => {
    const { clock, sink, media, source, sent } = single();
    media.start();
    clock.advance(20 * 6);
    await media.stop();
    await media.stop();
    expect(source.closed).toBe(true);
    expect(sink.closed).toBe(true);
    expect(sink.samples().length).toBe(1536); // 7 frames of 160 = 1120 samples: two of 512, and the rest zero-padded
    expect(clock.pending()).toBe(0);
    media.receive(sent[0]!);
    expect(media.stats()).toMatchObject({ packetsSent: 7, packetsReceived: 0, durationMs: 120 });
    clock.advance(1000);
    expect(sent).toHaveLength(7);
  });

  it('receive() says which datagrams are authentic and new: a forgery, a changed bit, a replay and anything after stop() are not', async () => {
    const { clock, params, sent, media } = single();
    const peer = createSecureCallMedia({ source: createSilenceSource(), sink: keepingSink(), clock, send: () => {}, v2: params.b });
    media.start();
    peer.start();
    clock.advance(20 * 3);
    const flipped = Uint8Array.from(sent[1]!);
    flipped[40]! ^= 0x01;
    const forged = Uint8Array.from(sent[1]!);
    forged.fill(0x55, 12);
    expect([peer.receive(forged), peer.receive(flipped), peer.receive(sent[0]!), peer.receive(sent[0]!), peer.receive(sent[2]!), peer.receive(sent[1]!)]).toEqual([
      false,
      false,
      true,
      false,
      true,
      true,
    ]);
    expect(peer.stats()).toMatchObject({ packetsReceived: 6, packetsRejected: 2, packetsReplayed: 1 });
    await peer.stop();
    expect(peer.receive(sent[3]!)).toBe(false);
    await media.stop();
  });

  it('counts and reports a send that throws, and goes on', async () => {
    const clock = createManualClock();
    const errors: unknown[] = [];
    let calls = 0;
    const media = createSecureCallMedia({
      source: createSilenceSource(),
      sink: keepingSink(),
      clock,
      v2: pairParams().a,
      send: () => {
        if (++calls === 2) throw new Error('EHOSTUNREACH');
      },
      onError: (e) => errors.push(e),
    });
    media.start();
    clock.advance(60);
    expect(media.stats()).toMatchObject({ packetsSent: 4, sendErrors: 1 });
    expect(errors).toHaveLength(1);
    await media.stop();
  });

  it('refuses a frame size, payload type or sample rate a v2 call cannot carry', () => {
    const base = { source: createSilenceSource(), sink: keepingSink(), send() {} };
    const v2 = pairParams().a;
    expect(() => createSecureCallMedia({ ...base, v2: { ...v2, frameSamples: 320 as 160 } })).toThrow(RangeError);
    expect(() => createSecureCallMedia({ ...base, v2: { ...v2, payloadType: 128 } })).toThrow(expect.objectContaining({ code: 'v2-invalid-field' }));
    expect(() => createSecureCallMedia({ ...base, v2: { ...v2, firstSequence: 70000 } })).toThrow(expect.objectContaining({ code: 'v2-invalid-field' }));
    expect(() => createSecureCallMedia({ ...base, source: createSilenceSource({ sampleRate: 16000, samplesPerFrame: 320 }), v2 })).toThrow(AudioFormatMismatchError);
  });

  it('gives every counter of MediaStats before start, the six v2 ones included', () => {
    const { media } = single();
    expect(media.stats()).toMatchObject({ packetsRejected: 0, packetsReplayed: 0, packetsLate: 0, packetsConcealed: 0, jitterMs: 0, playoutDelayMs: 0, durationMs: 0 });
    expect(decodeRtpHeader(new Uint8Array(12)).ok).toBe(false);
  });
});
