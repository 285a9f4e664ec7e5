/** A call media under a manual clock with a recording sink, shared by the call media tests. */
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
