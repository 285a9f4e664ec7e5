/** Helpers of the secure media tests: two secure call media wired back to back through a scripted channel (loss, delay, jitter, duplication, injected datagrams) on a manual clock. */
import { createManualClock, type ManualClock } from '@voip/clock';
import type { DirectionKey } from '@voip/protocol/v2';
import type { AudioFormat, AudioSink, AudioSource } from '../../src/audio-port.js';
import type { CallMedia } from '../../src/call-media-types.js';
import { createSecureCallMedia } from '../../src/secure-call-media.js';
import type { V2MediaParams } from '../../src/secure-call-media-types.js';
import { random } from './call-media-harness.js';

/** A direction key whose bytes all derive from `seed` (tests only). */
export function testKey(seed: number): DirectionKey {
  return { key: Uint8Array.from({ length: 32 }, (_, i) => (seed * 31 + i * 7) & 0xff), salt: Uint8Array.from({ length: 12 }, (_, i) => (seed * 17 + i * 3) & 0xff) };
}

/** The two sides' media parameters: a's send key is b's receive key and the other way round. */
export function pairParams(frameSamples: 160 | 512 = 160): { a: V2MediaParams; b: V2MediaParams } {
  const [ab, ba] = [testKey(1), testKey(2)];
  return {
    a: { frameSamples, payloadType: 96, sendKey: ab, receiveKey: ba, ssrc: 0x11223344, firstSequence: 0x7ff0, firstTimestamp: 0xfffff000, peerSsrc: 0x55667788 },
    b: { frameSamples, payloadType: 96, sendKey: ba, receiveKey: ab, ssrc: 0x55667788, firstSequence: 123, firstTimestamp: 42, peerSsrc: 0x11223344 },
  };
}

/** A sink that keeps every sample written, in order. */
export function keepingSink(format: AudioFormat = { sampleRate: 8000, samplesPerFrame: 160 }): AudioSink & { frames: Int16Array[]; samples(): Int16Array; closed: boolean } {
  const s = {
    format,
    label: 'keeping',
    frames: [] as Int16Array[],
    closed: false,
    writeFrame(frame: Int16Array) {
      if (frame.length !== format.samplesPerFrame) throw new RangeError(`frame of ${frame.length}`);
      s.frames.push(frame.slice());
    },
    samples(): Int16Array {
      const all = new Int16Array(s.frames.length * format.samplesPerFrame);
      s.frames.forEach((f, i) => all.set(f, i * format.samplesPerFrame));
      return all;
    },
    async close() {
      s.closed = true;
    },
  };
  return s;
}

/** Sample `n` of the ramp source: never 0, unique over its first 30,000 samples, so a sink's output can be aligned with it. */
export const rampSample = (n: number) => (n % 30000) + 1;

/** An endless source of {@link rampSample}s, in frames of `samplesPerFrame`. */
export function rampSource(samplesPerFrame = 512): AudioSource & { closed: boolean } {
  let n = 0;
  const s = {
    format: { sampleRate: 8000, samplesPerFrame },
    label: 'ramp',
    closed: false,
    readFrame: () => Int16Array.from({ length: samplesPerFrame }, () => rampSample(n++)),
    async close() {
      s.closed = true;
    },
  };
  return s;
}

/** What the channel does to each datagram one way. */
export interface ChannelScript {
  /** Chance a datagram is lost. */
  readonly loss?: number;
  /** Chance a datagram is delivered twice (the copy up to `jitterMs` later). */
  readonly duplicate?: number;
  /** Fixed one-way delay, ms. */
  readonly delayMs?: number;
  /** Extra delay drawn uniformly from [0, jitterMs), ms: above a frame period it reorders. */
  readonly jitterMs?: number;
  /** Seed of the channel's random choices. */
  readonly seed?: number;
}

/** One direction of the scripted channel: counts what it did. */
export interface Channel {
  /** Every datagram the sender handed to `send`, in order. */
  readonly sent: Uint8Array[];
  readonly lost: number;
  readonly duplicated: number;
  /** Datagrams handed to the receiver so far (duplicates and injections included). */
  readonly delivered: number;
  /** Delivers extra bytes to the receiver now (an attacker on the path). */
  inject(datagram: Uint8Array): void;
}

/** Two secure media on one manual clock, `a` and `b`, and the channel each way. */
export interface SecurePair {
  readonly clock: ManualClock;
  readonly a: CallMedia;
  readonly b: CallMedia;
  readonly ab: Channel;
  readonly ba: Channel;
}

function channel(clock: ManualClock, script: ChannelScript, deliver: (d: Uint8Array) => void): Channel & { send(d: Uint8Array): void } {
  const rng = random(script.seed ?? 1);
  const delay = () => (script.delayMs ?? 5) + rng() * (script.jitterMs ?? 0);
  const c = {
    sent: [] as Uint8Array[],
    lost: 0,
    duplicated: 0,
    delivered: 0,
    inject(d: Uint8Array) {
      c.delivered++;
      deliver(d);
    },
    send(d: Uint8Array) {
      c.sent.push(d);
      if (rng() < (script.loss ?? 0)) {
        c.lost++;
        return;
      }
      clock.setTimeout(() => c.inject(d), delay());
      if (rng() < (script.duplicate ?? 0)) {
        c.duplicated++;
        clock.setTimeout(() => c.inject(d), delay());
      }
    },
  };
  return c;
}

/** Wires two secure media back to back (a's sends go to b and the other way), not started. */
export function securePair(options: {
  sources: [AudioSource, AudioSource];
  sinks: [AudioSink, AudioSink];
  script?: ChannelScript;
  scriptBack?: ChannelScript;
  frameSamples?: 160 | 512;
}): SecurePair {
  const clock = createManualClock();
  const params = pairParams(options.frameSamples);
  const holder: { a?: CallMedia; b?: CallMedia } = {};
  const ab = channel(clock, options.script ?? {}, (d) => holder.b!.receive(d));
  const ba = channel(clock, options.scriptBack ?? options.script ?? {}, (d) => holder.a!.receive(d));
  const a = createSecureCallMedia({ source: options.sources[0], sink: options.sinks[0], clock, send: (d) => ab.send(d), v2: params.a });
  const b = createSecureCallMedia({ source: options.sources[1], sink: options.sinks[1], clock, send: (d) => ba.send(d), v2: params.b });
  holder.a = a;
  holder.b = b;
  return { clock, a, b, ab, ba };
}

/** Where `expected`'s first sample first appears in `played`, -1 if nowhere. */
export function alignment(played: Int16Array, first: number): number {
  return played.indexOf(first);
}
