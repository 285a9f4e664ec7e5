/** Generated audio: the classic format, a tone source, a silence source and a null sink. */
import { CLASSIC_AUDIO } from '@voip/protocol';
import type { AudioFormat, AudioSink, AudioSource } from './audio-port.js';
import { allocateFrame } from './frame-slab.js';

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

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** One repetition of integer tones, shared by all sources of the same tone (a call has one each way). */
const toneTables = new Map<string, Int16Array>();

/** The samples of one repetition of an integer-frequency tone: `sampleRate / gcd(frequency, sampleRate)` samples. */
function toneTable(frequencyHz: number, sampleRate: number, amplitude: number): Int16Array {
  const key = `${frequencyHz}/${sampleRate}/${amplitude}`;
  let table = toneTables.get(key);
  if (table === undefined) {
    const step = frequencyHz / sampleRate;
    table = new Int16Array(sampleRate / gcd(frequencyHz, sampleRate));
    for (let k = 0; k < table.length; k++) table[k] = sineSample(amplitude, step, k);
    toneTables.set(key, table);
  }
  return table;
}

/** Sample `n` of a sine of `step` cycles per sample. */
const sineSample = (amplitude: number, step: number, n: number) => Math.round(amplitude * Math.sin(2 * Math.PI * ((step * n) % 1)));

/**
 * An endless sine tone. The phase comes from the sample index, so the tone never drifts.
 * An integer frequency at an integer rate repeats exactly, so its samples are copied
 * from one precomputed repetition; other tones are computed sample by sample.
 */
export function createToneSource(frequencyHz: number, options: { amplitude?: number; format?: AudioFormat } = {}): AudioSource {
  const format = options.format ?? CLASSIC_FORMAT;
  const amplitude = options.amplitude ?? TONE_AMPLITUDE;
  if (!(frequencyHz > 0 && frequencyHz < format.sampleRate / 2)) {
    throw new RangeError(`tone frequency ${frequencyHz} Hz is outside (0, ${format.sampleRate / 2})`);
  }
  if (!(amplitude >= 0 && amplitude <= 32767)) throw new RangeError(`tone amplitude ${amplitude} is outside [0, 32767]`);
  const step = frequencyHz / format.sampleRate;
  const table = Number.isInteger(frequencyHz) && Number.isInteger(format.sampleRate) ? toneTable(frequencyHz, format.sampleRate, amplitude) : undefined;
  let n = 0;
  let closed = false;
  return {
    format,
    label: `tone:${frequencyHz}`,
    readFrame(): Int16Array | null {
      if (closed) return null;
      const frame = allocateFrame(format.samplesPerFrame);
      if (table !== undefined) {
        // n is the phase within the table; copy whole runs of it.
        for (let at = 0; at < frame.length;) {
          const run = Math.min(frame.length - at, table.length - n);
          frame.set(table.subarray(n, n + run), at);
          at += run;
          n = (n + run) % table.length;
        }
        return frame;
      }
      for (let i = 0; i < frame.length; i++) frame[i] = sineSample(amplitude, step, n + i);
      n += frame.length;
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
    readFrame: () => (closed ? null : allocateFrame(format.samplesPerFrame)),
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
