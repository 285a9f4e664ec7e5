/** Sample-exact tests of the ring tone source. */
import { describe, expect, it } from 'vitest';
import { ETSI_RING_CADENCE, createRingToneSource, ringToneSample } from './ring-tone.js';

/** `frames` frames of `source`, end to end. */
function collect(source: { readFrame(): Int16Array | null }, frames: number): Int16Array {
  const out = new Int16Array(frames * 512);
  for (let i = 0; i < frames; i++) out.set(source.readFrame()!, i * 512);
  return out;
}

describe('ring tone', () => {
  it('is the ETSI cadence by default: 425 Hz, 1 s on, 4 s off', () => {
    expect(ETSI_RING_CADENCE).toEqual({ frequencyHz: 425, onMs: 1000, offMs: 4000 });
  });

  it.each([
    // sample index, value: round(8192 sin(2 pi 425 k / 8000)), k from the start of the burst
    [0, 0],
    [1, 2684],
    [2, 5072],
    [3, 6899],
    [4, 7966],
    [5, 8153],
    [319, -2684],
    [320, 0], // 425 Hz repeats every 320 samples at 8000 Hz (17 cycles)
    [7999, -2684], // last sample of the burst
    [8000, 0], // silence from 1 s
    [39_999, 0], // last sample of the cycle
    [40_000, 0], // the second burst, alike
    [40_001, 2684],
    [40_004, 7966],
  ])('sample %i is %i', (n, value) => {
    expect(ringToneSample(n, ETSI_RING_CADENCE, 8000, 8192)).toBe(value);
  });

  it('plays, frame after frame, exactly the samples of ringToneSample over two cycles', () => {
    // 2 cycles = 80 000 samples = 156.25 frames: frame edges fall everywhere in the cycle.
    const samples = collect(createRingToneSource(), 160);
    for (let n = 0; n < samples.length; n++) {
      if (samples[n] !== ringToneSample(n, ETSI_RING_CADENCE, 8000, 8192)) expect.fail(`sample ${n}: ${samples[n]}`);
    }
  });

  it('has a burst of exactly 8000 samples that reach the amplitude, then exactly 32 000 zeros', () => {
    const samples = collect(createRingToneSource(), 79); // 40 448 samples
    const burst = samples.subarray(0, 8000);
    expect(Math.max(...burst)).toBe(8192);
    expect(Math.min(...burst)).toBe(-8192);
    // 17 cycles in 320 samples, 425 in a second: 850 zero crossings (sign changes).
    let crossings = 0;
    for (let i = 1; i < burst.length; i++) if (Math.sign(burst[i]!) !== Math.sign(burst[i - 1]!) && burst[i] !== 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(849);
    expect(crossings).toBeLessThanOrEqual(851);
    expect(samples.subarray(8000, 40_000).every((s) => s === 0)).toBe(true);
    expect(Array.from(samples.subarray(40_000, 40_448))).toEqual(Array.from(burst.subarray(0, 448)));
  });

  it('follows another cadence and amplitude, in another format', () => {
    const source = createRingToneSource({
      cadence: { frequencyHz: 1000, onMs: 2, offMs: 1 },
      amplitude: 1000,
      format: { sampleRate: 4000, samplesPerFrame: 8 },
    });
    // 8 samples on (1000 Hz at 4000 Hz: 0, 1000, 0, -1000), 4 off.
    const expected = [0, 1000, 0, -1000, 0, 1000, 0, -1000, 0, 0, 0, 0];
    const frames = [source.readFrame()!, source.readFrame()!, source.readFrame()!];
    expect(frames.flatMap((f) => Array.from(f, (s) => s + 0))).toEqual([...expected, ...expected]);
  });

  it('returns null once closed', async () => {
    const source = createRingToneSource();
    await source.close();
    expect(source.readFrame()).toBeNull();
  });

  it.each([
    [{ frequencyHz: 0, onMs: 1000, offMs: 4000 }],
    [{ frequencyHz: 4000, onMs: 1000, offMs: 4000 }],
    [{ frequencyHz: 425, onMs: 0, offMs: 4000 }],
    [{ frequencyHz: 425, onMs: 1000, offMs: -1 }],
    [{ frequencyHz: 425, onMs: Infinity, offMs: 4000 }],
  ])('refuses the cadence %j', (cadence) => {
    expect(() => createRingToneSource({ cadence })).toThrow(RangeError);
  });

  it('refuses an amplitude beyond full scale', () => {
    expect(() => createRingToneSource({ amplitude: 40_000 })).toThrow(RangeError);
  });
});
