/** Tests of the tone and silence sources and the null sink. */
import { describe, expect, it } from 'vitest';
import { createNullSink, createSilenceSource, createToneSource, TONE_AMPLITUDE } from './generators.js';
import { levelDbfs } from './level.js';

function collect(readFrame: () => Int16Array | null, frames: number): Int16Array {
  const out = new Int16Array(frames * 512);
  for (let i = 0; i < frames; i++) out.set(readFrame()!, i * 512);
  return out;
}

function zeroCrossings(samples: Int16Array): number {
  let n = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) n++;
  return n;
}

describe('tone source', () => {
  it.each([440, 1000, 261.5])('%s Hz crosses zero twice per cycle', (hz) => {
    const tone = createToneSource(hz);
    // 125 frames = 64000 samples = 8 s.
    const samples = collect(() => tone.readFrame(), 125);
    const expected = 2 * hz * 8;
    expect(Math.abs(zeroCrossings(samples) - expected)).toBeLessThanOrEqual(2);
    expect(Math.max(...samples)).toBeLessThanOrEqual(TONE_AMPLITUDE);
    expect(Math.max(...samples)).toBeGreaterThan(TONE_AMPLITUDE * 0.99);
  });

  it.each([
    [440, 8000, 512],
    [1000, 8000, 512],
    [3999, 8000, 160],
    [440, 44100, 441],
    [261.5, 8000, 512],
  ])('%s Hz at %s Hz in frames of %s: every sample is round(A sin(2 pi f n / rate))', (hz, rate, spf) => {
    const tone = createToneSource(hz, { format: { sampleRate: rate, samplesPerFrame: spf } });
    const frames = Math.ceil((2 * rate) / spf) + 3; // over two seconds: every wrap of the repetition
    for (let f = 0; f < frames; f++) {
      const frame = tone.readFrame()!;
      expect(frame.length).toBe(spf);
      for (let i = 0; i < spf; i++) {
        const n = f * spf + i;
        const expected = Math.round(TONE_AMPLITUDE * Math.sin(2 * Math.PI * (((hz / rate) * n) % 1)));
        if (frame[i] !== expected) expect({ n, sample: frame[i] }).toEqual({ n, sample: expected });
      }
    }
  });

  it('gives each read a new frame', () => {
    const tone = createToneSource(440);
    const a = tone.readFrame()!;
    const copy = a.slice();
    tone.readFrame();
    expect(a).toEqual(copy);
    tone.readFrame()!.fill(1);
    expect(a).toEqual(copy);
  });

  it('is continuous across frames', () => {
    const tone = createToneSource(440);
    const samples = collect(() => tone.readFrame(), 4);
    const maxStep = (2 * Math.PI * 440 * TONE_AMPLITUDE) / 8000;
    for (let i = 1; i < samples.length; i++) expect(Math.abs(samples[i]! - samples[i - 1]!)).toBeLessThanOrEqual(maxStep + 1);
  });

  it('has a sensible level and ends when closed', async () => {
    const tone = createToneSource(440);
    expect(levelDbfs(tone.readFrame()!)).toBeCloseTo(20 * Math.log10(TONE_AMPLITUDE / 32768 / Math.SQRT2), 0);
    await tone.close();
    expect(tone.readFrame()).toBeNull();
  });

  it('rejects frequencies outside (0, Nyquist)', () => {
    expect(() => createToneSource(0)).toThrow(RangeError);
    expect(() => createToneSource(4000)).toThrow(RangeError);
  });
});

describe('silence and null', () => {
  it('silence gives zero frames until closed', async () => {
    const s = createSilenceSource();
    const f = s.readFrame()!;
    expect(f).toHaveLength(512);
    expect(f.every((x) => x === 0)).toBe(true);
    await s.close();
    expect(s.readFrame()).toBeNull();
  });

  it('null sink takes frames of the right length only', async () => {
    const sink = createNullSink();
    sink.writeFrame(new Int16Array(512));
    expect(() => sink.writeFrame(new Int16Array(100))).toThrow(RangeError);
    await sink.close();
  });
});
