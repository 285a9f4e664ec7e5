/** The ring tone of an incoming call as a generated audio source: a tone cadence, sample by sample. */
import type { AudioFormat, AudioSource } from './audio-port.js';
import { allocateFrame } from './frame-slab.js';
import { CLASSIC_FORMAT, TONE_AMPLITUDE } from './generators.js';

/** A ring cadence: a tone `onMs` long, then `offMs` of silence, repeated. */
export interface RingCadence {
  /** Frequency of the tone, Hz. */
  readonly frequencyHz: number;
  /** Length of each burst of tone, ms. */
  readonly onMs: number;
  /** Silence after each burst, ms. */
  readonly offMs: number;
}

/** The ringing tone of ETSI ES 201 970 (and ITU-T E.180 for most of Europe): 425 Hz, 1 s on, 4 s off. */
export const ETSI_RING_CADENCE: RingCadence = Object.freeze({ frequencyHz: 425, onMs: 1000, offMs: 4000 });

/** Options of {@link createRingToneSource}. */
export interface RingToneSourceOptions {
  /** Defaults to {@link ETSI_RING_CADENCE}. */
  readonly cadence?: RingCadence;
  /** Peak amplitude; defaults to {@link TONE_AMPLITUDE} (-12 dBFS peak). */
  readonly amplitude?: number;
  /** Defaults to {@link CLASSIC_FORMAT}. */
  readonly format?: AudioFormat;
}

/** The cadence in samples at `sampleRate` (bursts and gaps rounded to whole samples). */
function cadenceSamples(cadence: RingCadence, sampleRate: number): { on: number; cycle: number } {
  const on = Math.round((cadence.onMs * sampleRate) / 1000);
  return { on, cycle: on + Math.round((cadence.offMs * sampleRate) / 1000) };
}

/**
 * Sample `n` of a ring tone: within each cycle of `on + off` samples, the first `on`
 * are `round(A sin(2 pi f k / rate))`, `k` counted from the start of the burst (so
 * each burst starts at a zero crossing, alike), the rest are 0.
 */
export function ringToneSample(n: number, cadence: RingCadence, sampleRate: number, amplitude: number): number {
  const { on, cycle } = cadenceSamples(cadence, sampleRate);
  const k = n % cycle;
  if (k >= on) return 0;
  // (f * k) % rate is exact for integer frequencies, so every burst is the same samples.
  const phase = ((cadence.frequencyHz * k) % sampleRate) / sampleRate;
  return Math.round(amplitude * Math.sin(2 * Math.PI * phase));
}

/** Throws a RangeError for a cadence or amplitude that cannot be played in `format`. */
function checkRingTone(cadence: RingCadence, amplitude: number, format: AudioFormat): void {
  const { frequencyHz, onMs, offMs } = cadence;
  if (!(frequencyHz > 0 && frequencyHz < format.sampleRate / 2)) {
    throw new RangeError(`ring tone frequency ${frequencyHz} Hz is outside (0, ${format.sampleRate / 2})`);
  }
  if (!(Number.isFinite(onMs) && onMs > 0 && Number.isFinite(offMs) && offMs >= 0)) {
    throw new RangeError(`ring cadence needs onMs > 0 and offMs >= 0, got ${onMs} and ${offMs}`);
  }
  if (!(amplitude >= 0 && amplitude <= 32767)) throw new RangeError(`ring tone amplitude ${amplitude} is outside [0, 32767]`);
}

/**
 * An endless ring tone source: bursts of a tone and silence after the cadence, from
 * sample 0 (the first burst starts at once). Each sample comes from its index, so the
 * cadence never drifts.
 */
export function createRingToneSource(options: RingToneSourceOptions = {}): AudioSource {
  const cadence = options.cadence ?? ETSI_RING_CADENCE;
  const amplitude = options.amplitude ?? TONE_AMPLITUDE;
  const format = options.format ?? CLASSIC_FORMAT;
  checkRingTone(cadence, amplitude, format);
  const { cycle } = cadenceSamples(cadence, format.sampleRate);
  // One cycle, computed once: a ring tone plays for tens of seconds at most, 40 000 samples at 8 kHz.
  const table = new Int16Array(cycle);
  for (let k = 0; k < cycle; k++) table[k] = ringToneSample(k, cadence, format.sampleRate, amplitude);
  let n = 0;
  let closed = false;
  return {
    format,
    label: `ring:${cadence.frequencyHz}`,
    readFrame(): Int16Array | null {
      if (closed) return null;
      const frame = allocateFrame(format.samplesPerFrame);
      for (let at = 0; at < frame.length;) {
        const run = Math.min(frame.length - at, cycle - n);
        frame.set(table.subarray(n, n + run), at);
        at += run;
        n = (n + run) % cycle;
      }
      return frame;
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
