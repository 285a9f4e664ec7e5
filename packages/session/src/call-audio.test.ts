// Tests of the call media lifecycle: figures, per-call drops, mute and gain, the ring tone.
import { describe, expect, test } from 'vitest';
import { createManualClock } from '@voip/clock';
import { CallAudio, type CallMediaPort, type MediaFactory, type MediaFigures } from './call-audio.js';
import type { CallStats } from './phone-types.js';

const NO_SECURE_FIGURES = { packetsRejected: 0, packetsReplayed: 0, packetsLate: 0, packetsConcealed: 0, jitterMs: 0, playoutDelayMs: 0 };
const KEY = { key: new Uint8Array(32), salt: new Uint8Array(12) };
const PEER = { address: '10.0.0.2', port: 5002 };

interface Recorded {
  readonly media: (CallMediaPort & { muted: boolean; gain: number; stopped: boolean; received: number })[];
}

function recordingFactory(recorded: Recorded, figures: Partial<CallStats> = {}): MediaFactory {
  return () => {
    const media = {
      muted: false,
      gain: 1,
      stopped: false,
      received: 0,
      start() {},
      receive() {
        media.received++;
        return true;
      },
      stop() {
        media.stopped = true;
        return Promise.resolve();
      },
      stats: (): MediaFigures => ({
        packetsSent: 3,
        packetsReceived: 2,
        packetsLost: 1,
        packetsDropped: 1,
        inputLevelDbfs: -10,
        outputLevelDbfs: -12,
        durationMs: 999,
        ...figures,
      }),
      setMuted(value: boolean) {
        media.muted = value;
      },
      setGain(value: number) {
        media.gain = value;
      },
    };
    recorded.media.push(media);
    return media;
  };
}

const noSend = (): void => {};
const noFail = (): void => {};

describe('CallAudio', () => {
  test('no figures before a call, figures with the call duration during one', () => {
    const clock = createManualClock(1000);
    const recorded: Recorded = { media: [] };
    const audio = new CallAudio({ media: recordingFactory(recorded), clock });
    expect(audio.stats()).toBeUndefined();
    audio.start(PEER, noSend, noFail);
    clock.advance(250);
    expect(audio.stats()).toEqual({
      packetsSent: 3,
      packetsReceived: 2,
      packetsLost: 1,
      packetsDropped: 1,
      inputLevelDbfs: -10,
      outputLevelDbfs: -12,
      durationMs: 250,
      ...NO_SECURE_FIGURES,
    });
  });

  test('datagrams the v2 machine rejected or took for replays are added to the media figures of the call, and v2 calls get their parameters', () => {
    const clock = createManualClock(0);
    const given: unknown[] = [];
    const figures = { packetsRejected: 2, packetsReplayed: 1, packetsLate: 4, packetsConcealed: 5, jitterMs: 6, playoutDelayMs: 40 };
    const factory = recordingFactory({ media: [] }, figures);
    const audio = new CallAudio({ media: (options) => (given.push(options), factory(options)), clock });
    audio.count('rejected'); // before any call: in the total only
    const v2 = { frameSamples: 160, payloadType: 96, sendKey: KEY, receiveKey: KEY, ssrc: 1, firstSequence: 2, firstTimestamp: 3, peerSsrc: 4 } as const;
    audio.start(PEER, noSend, noFail, v2);
    audio.count('rejected');
    audio.count('replayed');
    expect(given).toEqual([{ peer: PEER, send: noSend, protocol: 'v2', v2 }]);
    expect(audio.stats()).toMatchObject({ ...figures, packetsRejected: 3, packetsReplayed: 2 });
    expect(audio.droppedDatagrams).toBe(3);
  });

  test('the dropped count is per call, and the summary of a call is taken once', () => {
    const clock = createManualClock(0);
    const recorded: Recorded = { media: [] };
    const audio = new CallAudio({ media: recordingFactory(recorded), clock });
    audio.drop(); // before any call: counted in the total only
    audio.start(PEER, noSend, noFail);
    audio.drop();
    audio.drop();
    clock.advance(4000);
    audio.stop();
    expect(recorded.media[0]!.stopped).toBe(true);
    expect(audio.takeSummary()).toEqual({ durationMs: 4000, stats: expect.objectContaining({ packetsDropped: 3, durationMs: 4000 }) });
    expect(audio.takeSummary()).toBeUndefined();
    audio.start(PEER, noSend, noFail);
    expect(audio.stats()?.packetsDropped).toBe(1);
    expect(audio.droppedDatagrams).toBe(3);
  });

  test('audio from the peer before the media exists is counted as dropped', async () => {
    const clock = createManualClock(0);
    const recorded: Recorded = { media: [] };
    const sync = recordingFactory(recorded);
    const audio = new CallAudio({ media: (options) => Promise.resolve(sync(options)), clock });
    audio.start(PEER, noSend, noFail);
    audio.deliver(new Uint8Array(1024));
    await Promise.resolve();
    audio.deliver(new Uint8Array(1024));
    expect(recorded.media[0]!.received).toBe(1);
    expect(audio.stats()?.packetsDropped).toBe(2);
  });

  test('mute and gain apply to the call in progress and to later calls', () => {
    const clock = createManualClock(0);
    const recorded: Recorded = { media: [] };
    const audio = new CallAudio({ media: recordingFactory(recorded), clock });
    audio.setMuted(true);
    audio.start(PEER, noSend, noFail);
    expect(recorded.media[0]).toMatchObject({ muted: true, gain: 1 });
    audio.setGain(1.5);
    expect(recorded.media[0]!.gain).toBe(1.5);
    audio.stop();
    audio.start(PEER, noSend, noFail);
    expect(recorded.media[1]).toMatchObject({ muted: true, gain: 1.5 });
    expect(() => audio.setGain(2.5)).toThrow(RangeError);
    expect(audio.gain).toBe(1.5);
  });

  test('media that fails to start ends the call once; media created after the call ended is stopped', async () => {
    const clock = createManualClock(0);
    const failures: string[] = [];
    const audio = new CallAudio({ media: () => Promise.reject(new Error('no device')), clock });
    audio.start(PEER, noSend, (detail) => failures.push(detail));
    await Promise.resolve();
    await Promise.resolve();
    expect(failures).toEqual(['audio failed: no device']);

    const recorded: Recorded = { media: [] };
    const sync = recordingFactory(recorded);
    let resolve!: (media: CallMediaPort) => void;
    const late = new CallAudio({ media: () => new Promise((r) => (resolve = r)), clock });
    late.start(PEER, noSend, noFail);
    late.stop();
    resolve(sync({ peer: PEER, send: noSend, protocol: 'classic' }) as CallMediaPort);
    await late.close();
    expect(recorded.media[0]!.stopped).toBe(true);
  });
});

describe('CallAudio ring tone', () => {
  test('the call media is created only after the ring released the output', async () => {
    const clock = createManualClock(0);
    const order: string[] = [];
    let release!: () => void;
    const recorded: Recorded = { media: [] };
    const sync = recordingFactory(recorded);
    const audio = new CallAudio({
      clock,
      media: (options) => {
        order.push('media opened');
        return sync(options);
      },
      ring: () => {
        order.push('ring started');
        return { stop: () => new Promise<void>((resolve) => (release = () => (order.push('ring closed'), resolve()))) };
      },
    });
    audio.startRinging();
    await Promise.resolve();
    await Promise.resolve();
    audio.stopRinging();
    audio.start(PEER, noSend, noFail);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(order).toEqual(['ring started']);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(order).toEqual(['ring started', 'ring closed', 'media opened']);
    await audio.close();
  });

  test('no ring factory: ringing does nothing; a failing ring is logged, never thrown', async () => {
    const clock = createManualClock(0);
    const silent = new CallAudio({ clock, media: recordingFactory({ media: [] }) });
    silent.startRinging();
    silent.stopRinging();
    const logs: string[] = [];
    const broken = new CallAudio({
      clock,
      media: recordingFactory({ media: [] }),
      ring: () => Promise.reject(new Error('no device')),
      onLog: (_level, message) => logs.push(message),
    });
    broken.startRinging();
    broken.stopRinging();
    await broken.close();
    expect(logs).toEqual(['cannot play the ring tone: no device']);
  });
});
