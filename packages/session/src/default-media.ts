/** The phone's default audio: each call's media and the ring tone built with @voip/media from the `audio` option's sources and sinks. */
import { createCallMedia, createSecureCallMedia, openAudioSink, openAudioSource, startRingTone, type AudioSink, type AudioSource } from '@voip/media';
import type { Clock } from '@voip/clock';
import type { MediaFactory, RingFactory } from './call-audio.js';
import type { PhoneOptions } from './phone-types.js';

/** Wraps a caller-owned source so that a call's end does not close it. */
function borrowedSource(source: AudioSource): AudioSource {
  return { format: source.format, label: source.label, readFrame: () => source.readFrame(), close: () => Promise.resolve() };
}

/** Wraps a caller-owned sink so that a call's end (or a ring's) does not close it. */
function borrowedSink(sink: AudioSink): AudioSink {
  return { format: sink.format, label: sink.label, writeFrame: (frame) => sink.writeFrame(frame), close: () => Promise.resolve() };
}

function openOutput(output: AudioSink | string): Promise<AudioSink> {
  return typeof output === 'string' ? openAudioSink(output) : Promise.resolve(borrowedSink(output));
}

/** Each call opens the input and the output afresh (`createCallMedia` closes them when the call ends). */
export function defaultMedia(audio: PhoneOptions['audio'], clock: Clock): MediaFactory {
  const input = audio?.input ?? 'silence';
  const output = audio?.output ?? 'null';
  return async (options) => {
    const { send } = options;
    const source = typeof input === 'string' ? await openAudioSource(input) : borrowedSource(input);
    let sink: AudioSink;
    try {
      sink = await openOutput(output);
    } catch (error) {
      await source.close();
      throw error;
    }
    // A v2 call's audio is sealed RTP at its negotiated frame size; a classic call's raw PCM.
    if (options.protocol === 'v2') return createSecureCallMedia({ source, sink, send, clock, v2: options.v2 });
    return createCallMedia({ source, sink, send, clock });
  };
}

/** The ring tone on the audio output: the output is opened for the ring and closed when it stops. */
export function defaultRing(audio: PhoneOptions['audio'], clock: Clock): RingFactory {
  const output = audio?.output ?? 'null';
  return async () => {
    const sink = await openOutput(output);
    const tone = startRingTone({ sink, clock });
    return {
      async stop() {
        try {
          await tone.stop();
        } finally {
          await sink.close();
        }
      },
    };
  };
}
