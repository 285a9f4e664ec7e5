/** Tests of the concealment on periodic signals: a 200 Hz tone and a synthetic voiced sound. */

import { describe, expect, it } from 'vitest';
import { Concealer, FADE_END_SAMPLES, FADE_START_SAMPLES } from './concealer.js';
import { estimatePitch, PITCH_HISTORY } from './pitch.js';

const RATE = 8000;

/** `length` samples of a sine at `hz`, starting at sample `from`. */
function tone(hz: number, length: number, from = 0, amplitude = 8000): Int16Array {
  return Int16Array.from({ length }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * (from + i)) / RATE)));
}

/** A voiced sound: a glottal pulse train at `f0` through two formant resonators (700 and 1220 Hz), peak about 10000. */
function voiced(length: number, f0 = 118): Int16Array {
  const resonator = (hz: number, bandwidth: number) => {
    const r = Math.exp((-Math.PI * bandwidth) / RATE);
    return { a1: 2 * r * Math.cos((2 * Math.PI * hz) / RATE), a2: -r * r, y1: 0, y2: 0 };
  };
  const filters = [resonator(700, 110), resonator(1220, 120)];
  const raw = new Float64Array(length);
  const period = RATE / f0;
  for (let n = 0; n < length; n++) {
    const phase = (n % period) / period; // Rosenberg-like pulse: rise over 40%, fall over 16%
    let x = phase < 0.4 ? 0.5 * (1 - Math.cos((Math.PI * phase) / 0.4)) : phase < 0.56 ? Math.cos((Math.PI * (phase - 0.4)) / 0.32) : 0;
    for (const f of filters) {
      const y = x + f.a1 * f.y1 + f.a2 * f.y2;
      f.y2 = f.y1;
      f.y1 = y;
      x = y;
    }
    raw[n] = x;
  }
  let dc = 0;
  for (const v of raw) dc += v / length;
  let peak = 0;
  for (const v of raw) peak = Math.max(peak, Math.abs(v - dc));
  return Int16Array.from(raw, (v) => Math.round(((v - dc) / peak) * 10000));
}

/** Seeded white noise of peak 8000. */
function noise(length: number): Int16Array {
  let state = 12345;
  return Int16Array.from({ length }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return Math.round((state / 2 ** 32 - 0.5) * 16000);
  });
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

function rms(samples: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! ** 2;
  return Math.sqrt(sum / (to - from));
}

function maxStep(samples: ArrayLike<number>): number {
  let step = 0;
  for (let i = 1; i < samples.length; i++) step = Math.max(step, Math.abs(samples[i]! - samples[i - 1]!));
  return step;
}

/** Plays `signal` frame by frame, concealing the frames whose index is in `lost`; returns what was played. */
function play(signal: Int16Array, frame: number, lost: ReadonlySet<number>) {
  const concealer = new Concealer(frame);
  const out = new Int16Array(signal.length);
  const kinds: string[] = [];
  for (let f = 0; f * frame < signal.length; f++) {
    const chunk = signal.subarray(f * frame, (f + 1) * frame);
    if (lost.has(f)) {
      const { samples, kind } = concealer.conceal();
      out.set(samples, f * frame);
      kinds.push(kind);
    } else {
      out.set(concealer.real(chunk), f * frame);
      kinds.push('played');
    }
  }
  return { out, kinds, pitch: concealer.pitch };
}

describe('pitch estimate', () => {
  it.each([
    ['200 Hz tone', tone(200, PITCH_HISTORY), [40, 40]],
    ['100 Hz tone (not its double)', tone(100, PITCH_HISTORY), [80, 80]],
    ['voiced at 118 Hz (67.8 samples)', voiced(PITCH_HISTORY + 400).subarray(400), [67, 68]],
  ] as const)('%s', (_label, signal, [low, high]) => {
    const pitch = estimatePitch(Float32Array.from(signal));
    expect(pitch).toBeGreaterThanOrEqual(low);
    expect(pitch).toBeLessThanOrEqual(high);
  });
});

describe('concealment', () => {
  it.each([
    ['200 Hz tone, 20 ms frames', tone(200, 160 * 12), 160, 0.99],
    ['voiced sound, 20 ms frames', voiced(160 * 12), 160, 0.98],
    ['200 Hz tone, 512-sample frames', tone(200, 512 * 6), 512, 0.99],
  ] as const)('%s: the concealed frame follows the lost one', (_label, signal, frame, bound) => {
    const lostFrame = 4;
    const { out, kinds } = play(signal, frame, new Set([lostFrame]));
    expect(kinds[lostFrame]).toBe('concealed');
    const from = lostFrame * frame;
    const to = from + 160; // the first 20 ms of the gap, before most of the fade
    const r = correlation(out.subarray(from, to), signal.subarray(from, to));
    expect(r).toBeGreaterThan(bound);
  });

  it('holds the energy for 10 ms, fades it to nothing by 60 ms, then plays silence', () => {
    const signal = tone(200, 160 * 12);
    const { out, kinds } = play(signal, 160, new Set([4, 5, 6, 7, 8]));
    expect(kinds.slice(4, 9)).toEqual(['concealed', 'concealed', 'concealed', 'silence', 'silence']);
    const start = 4 * 160;
    const original = rms(signal, start, start + 80);
    expect(rms(out, start, start + FADE_START_SAMPLES) / original).toBeGreaterThan(0.9);
    const windows = [1, 2, 3, 4, 5].map((w) => rms(out, start + w * 80, start + (w + 1) * 80));
    for (let w = 1; w < windows.length; w++) expect(windows[w]!).toBeLessThan(windows[w - 1]!);
    expect(Math.max(...out.subarray(start + FADE_END_SAMPLES, 9 * 160).map(Math.abs))).toBe(0);
  });

  it.each([
    ['tone', tone(200, 160 * 12)],
    ['voiced', voiced(160 * 12)],
    ['noise (not periodic)', noise(160 * 12)],
  ] as const)('%s: no click where concealment starts or where the real signal rejoins', (_label, signal) => {
    const { out } = play(signal, 160, new Set([4]));
    const naturalStep = maxStep(signal);
    const join = out.subarray(4 * 160 - 8, 5 * 160 + 48); // both edges of the gap
    expect(maxStep(join)).toBeLessThanOrEqual(naturalStep * 1.3);
  });

  it('smooths a rejoin whose phase does not match the concealment', () => {
    const concealer = new Concealer(160);
    for (let f = 0; f < 4; f++) concealer.real(tone(200, 160, f * 160));
    const concealed = concealer.conceal().samples;
    const shifted = tone(200, 160, 5 * 160 + 10); // a quarter period off: a click if spliced as is
    const rejoined = concealer.real(shifted);
    const naive = Math.abs(shifted[0]! - concealed[159]!);
    const smoothed = maxStep([concealed[159]!, ...rejoined.subarray(0, 20)]);
    expect(naive).toBeGreaterThan(1000);
    expect(smoothed).toBeLessThan(naive / 2);
    expect(Array.from(rejoined.subarray(10))).toEqual(Array.from(shifted.subarray(10))); // a quarter period, then untouched
  });

  it('conceals nothing it never heard: silence before the first frame', () => {
    expect(new Concealer(160).conceal().kind).toBe('silence');
  });

  it('refuses a frame of the wrong length', () => {
    expect(() => new Concealer(160).real(new Int16Array(512))).toThrow(RangeError);
  });
});
