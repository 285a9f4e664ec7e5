/** Packet loss concealment by pitch-period repetition with a fade and overlap-add, after G.711 Appendix I and SpanDSP `plc.c`. */

import { allocateFrame } from '../frame-slab.js';
import { PITCH_HISTORY, estimatePitch } from './pitch.js';

/** Concealed samples played at full gain before the fade starts: 10 ms at 8 kHz (G.711 Appendix I). */
export const FADE_START_SAMPLES = 80;
/** Concealed samples after which the output is silence: 60 ms at 8 kHz (G.711 Appendix I). */
export const FADE_END_SAMPLES = 480;

/** How a concealed frame came out: `concealed` if any of it is synthetic speech, `silence` if all of it is past the fade. */
export type ConcealedKind = 'concealed' | 'silence';

/** Gain of the synthetic signal `missing` samples into a gap: 1 for 10 ms, then linear down to 0 at 60 ms. */
export function concealmentGain(missing: number): number {
  if (missing < FADE_START_SAMPLES) return 1;
  return Math.max(0, 1 - (missing - FADE_START_SAMPLES) / (FADE_END_SAMPLES - FADE_START_SAMPLES));
}

function saturate(value: number): number {
  return value >= 32767 ? 32767 : value <= -32768 ? -32768 : Math.round(value);
}

/**
 * Conceals lost frames of one stream. Call {@link real} with every frame received (it
 * returns the frame to play, smoothed into the concealment that preceded it) and
 * {@link conceal} for every frame missing. On the first missing frame the pitch period
 * P is estimated from the history; the last period, its final quarter cross-faded with
 * the period before so that it loops without a step, is repeated with a growing
 * attenuation (full for 10 ms, then linear to nothing at 60 ms); a correction fading
 * out over the first quarter period joins it to the last sample played (so nothing is
 * delayed), and the first quarter period of the next real frame is cross-faded with the
 * continuing synthetic signal.
 */
export class Concealer {
  readonly #frameSamples: number;
  readonly #history = new Float32Array(PITCH_HISTORY);
  readonly #pitchBuffer = new Float32Array(PITCH_HISTORY);
  #hasHistory = false;
  #pitch = 0;
  #pitchOffset = 0;
  /** Samples concealed since the last real frame; 0 when not concealing. */
  #missing = 0;
  /** A splice is pending: the next real frame is cross-faded with the continuation of the history at full gain. */
  #splice = false;

  /** A concealer for frames of `frameSamples` samples at 8 kHz. */
  constructor(frameSamples: number) {
    if (!Number.isInteger(frameSamples) || frameSamples <= 0) throw new RangeError(`frame of ${frameSamples} samples`);
    this.#frameSamples = frameSamples;
  }

  /** The pitch period (samples) of the current or last gap; 0 before the first. */
  get pitch(): number {
    return this.#pitch;
  }

  /** Takes a received frame and returns the samples to play (a new array; the frame is not modified). */
  real(frame: Int16Array): Int16Array {
    if (frame.length !== this.#frameSamples) throw new RangeError(`frame of ${frame.length} samples, expected ${this.#frameSamples}`);
    // A frame of its own carved from the frame slab: a copy without a backing store per frame.
    const out = allocateFrame(frame.length);
    out.set(frame);
    if (this.#missing > 0 || this.#splice) {
      const gain = this.#splice ? 1 : concealmentGain(this.#missing);
      const overlap = Math.min(this.#pitch >> 2, out.length);
      for (let i = 0; i < overlap; i++) {
        const w = (i + 1) / (overlap + 1);
        out[i] = saturate((1 - w) * gain * this.#pitchBuffer[this.#pitchOffset]! + w * out[i]!);
        if (++this.#pitchOffset >= this.#pitch) this.#pitchOffset = 0;
      }
      this.#missing = 0;
      this.#splice = false;
    }
    this.#remember(out);
    return out;
  }

  /** Synthesises the next missing frame. */
  conceal(): { readonly samples: Int16Array; readonly kind: ConcealedKind } {
    const out = allocateFrame(this.#frameSamples);
    if (!this.#hasHistory) return { samples: out, kind: 'silence' };
    let i = 0;
    if (this.#missing === 0) {
      if (!this.#splice) this.#prepare();
      this.#splice = false;
      // Remove any step between the last sample played and the synthetic signal with a
      // correction that fades out over a quarter period: nearly zero on a voiced sound,
      // whose last period continues it already (SpanDSP cross-fades with the reversed
      // tail instead, which lowers the correlation with the lost speech).
      const h = this.#history;
      const predicted = 2 * h[h.length - 1]! - h[h.length - 2]!;
      const step = predicted - this.#pitchBuffer[this.#pitchOffset]!;
      const overlap = Math.min(this.#pitch >> 2, out.length);
      for (; i < overlap; i++) {
        out[i] = saturate(this.#pitchBuffer[this.#pitchOffset]! + step * (1 - (i + 1) / (overlap + 1)));
        if (++this.#pitchOffset >= this.#pitch) this.#pitchOffset = 0;
      }
    }
    const startMissing = this.#missing;
    for (; i < out.length; i++) {
      const gain = concealmentGain(startMissing + i);
      if (gain === 0) break;
      out[i] = saturate(gain * this.#pitchBuffer[this.#pitchOffset]!);
      if (++this.#pitchOffset >= this.#pitch) this.#pitchOffset = 0;
    }
    const kind: ConcealedKind = concealmentGain(startMissing) > 0 ? 'concealed' : 'silence';
    this.#missing += out.length;
    this.#remember(out);
    return { samples: out, kind };
  }

  /**
   * Announces that the stream skips ahead (a frame dropped to shrink the delay): the
   * next real frame is cross-faded with the continuation of what was played, at full gain.
   */
  splice(): void {
    if (!this.#hasHistory || this.#missing > 0) return;
    this.#prepare();
    this.#splice = true;
  }

  /** Estimates the pitch and builds one period that loops without a step. */
  #prepare(): void {
    const h = this.#history;
    const end = h.length;
    const pitch = estimatePitch(h);
    const overlap = pitch >> 2;
    for (let i = 0; i < pitch - overlap; i++) this.#pitchBuffer[i] = h[end - pitch + i]!;
    for (let i = pitch - overlap; i < pitch; i++) {
      const w = (i - (pitch - overlap) + 1) / overlap;
      this.#pitchBuffer[i] = (1 - w) * h[end - pitch + i]! + w * h[end - 2 * pitch + i]!;
    }
    this.#pitch = pitch;
    this.#pitchOffset = 0;
  }

  #remember(samples: Int16Array): void {
    const h = this.#history;
    if (samples.length >= h.length) {
      h.set(samples.subarray(samples.length - h.length));
    } else {
      h.copyWithin(0, samples.length);
      h.set(samples, h.length - samples.length);
    }
    this.#hasHistory = true;
  }
}
