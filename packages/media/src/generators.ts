import { CLASSIC_AUDIO } from '@voip/protocol';
import type { AudioFormat, AudioSink, AudioSource } from './audio-port.js';

/** The classic call format: 512 samples at 8000 Hz. */
export const CLASSIC_FORMAT: AudioFormat = Object.freeze({
  sampleRate: CLASSIC_AUDIO.sampleRate,
  samplesPerFrame: CLASSIC_AUDIO.samplesPerFrame,
});

/** Peak amplitude of generated tones: a quarter of full scale (-12 dBFS peak). */
export const TONE_AMPLITUDE = 8192;

/** Throws a RangeError unless `frame` has the sink's frame length: a wrong length is a bug. */
export function assertFrameLength(frame: Int16Array, format: AudioFormat, label: string): void {
  if (frame.length !== format.samplesPerFrame) {
    throw new RangeError(`${label}: frame of ${frame.length} samples, expected ${format.samplesPerFrame}`);
  }
}

/**
 * An endless sine tone. The phase comes from the sample index, so the tone never drifts.
 */
export function createToneSource(frequencyHz: number, options: { amplitude?: number; format?: AudioFormat } = {}): AudioSource {
  const format = options.format ?? CLASSIC_FORMAT;
  const amplitude = options.amplitude ?? TONE_AMPLITUDE;
  if (!(frequencyHz > 0 && frequencyHz < format.sampleRate / 2)) {
    throw new RangeError(`tone frequency ${frequencyHz} Hz is outside (0, ${format.sampleRate / 2})`);
  }
  if (!(amplitude >= 0 && amplitude <= 32767)) throw new RangeError(`tone amplitude ${amplitude} is outside [0, 32767]`);
  const step = frequencyHz / format.sampleRate;
  let n = 0;
  let closed = false;
  return {
    format,
    label: `tone:${frequencyHz}`,
    readFrame(): Int16Array | null {
      if (closed) return null;
      const frame = new Int16Array(format.samplesPerFrame);
      for (let i = 0; i < frame.length; i++) {
        frame[i] = Math.round(amplitude * Math.sin(2 * Math.PI * ((step * (n + i)) % 1)));
      }
      n += frame.length;
      // Keep n small: the phase repeats every sampleRate samples when frequency is an integer.
      if (Number.isInteger(frequencyHz) && n >= format.sampleRate) n -= format.sampleRate;
      return frame;
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}

/** An endless source of digital silence. */
export function createSilenceSource(format: AudioFormat = CLASSIC_FORMAT): AudioSource {
  let closed = false;
  return {
    format,
    label: 'silence',
    readFrame: () => (closed ? null : new Int16Array(format.samplesPerFrame)),
    async close(): Promise<void> {
      closed = true;
    },
  };
}

/** A sink that discards everything (after checking the frame length). */
export function createNullSink(format: AudioFormat = CLASSIC_FORMAT): AudioSink {
  return {
    format,
    label: 'null',
    writeFrame(frame: Int16Array): void {
      assertFrameLength(frame, format, 'null');
    },
    async close(): Promise<void> {},
  };
}
