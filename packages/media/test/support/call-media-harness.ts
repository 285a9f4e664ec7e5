/** Helpers shared by the call media tests: a call media under a manual clock with a recording sink, test datagrams, a seeded random generator. */
import { encodeClassicPcm } from '@voip/protocol';
import { createManualClock } from '@voip/clock';
import type { AudioSink, AudioSource } from '../../src/audio-port.js';
import { createCallMedia, type CallMediaOptions } from '../../src/call-media.js';
import { CLASSIC_FORMAT, createSilenceSource } from '../../src/generators.js';

/** A sink that remembers what it was given. */
export function recordingSink(): AudioSink & { frames: Int16Array[]; closed: boolean } {
  const s = {
    format: CLASSIC_FORMAT,
    label: 'recording',
    frames: [] as Int16Array[],
    closed: false,
    writeFrame(frame: Int16Array) {
      s.frames.push(frame);
    },
    async close() {
      s.closed = true;
    },
  };
  return s;
}

/** A datagram whose samples are all `value`. */
export const datagram = (value: number) => encodeClassicPcm(new Int16Array(512).fill(value));

/** A call media on a manual clock, its sink, the datagrams it sent, and `deliver`. */
export function setup(source: AudioSource = createSilenceSource(), options: Partial<CallMediaOptions> = {}) {
  const clock = createManualClock();
  const sink = recordingSink();
  const sent: Uint8Array[] = [];
  const media = createCallMedia({ source, sink, clock, send: (d) => sent.push(d), ...options });
  /** Delivers datagrams one period apart, starting one period from now. */
  const deliver = (values: number[], gapMs = 64) => {
    for (const v of values) {
      clock.advance(gapMs);
      media.receive(datagram(v));
    }
  };
  return { clock, sink, sent, media, deliver };
}

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
