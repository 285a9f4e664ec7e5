import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, firstNonSilent, matchSignal, noiseSignal, padWithSilence, rampRuns, rampSignal, WavFormatError } from './wav.js';

describe('WAV fixtures', () => {
  it('round-trips samples through a WAV file', () => {
    const samples = noiseSignal(1000, 7);
    const wav = decodeWav(encodeWav(samples));
    expect(wav).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    expect(Array.from(wav.samples)).toEqual(Array.from(samples));
  });

  it('skips unknown chunks before data', () => {
    const plain = encodeWav(rampSignal(10, 5));
    const list = Buffer.from('LIST\x04\x00\x00\x00abcd', 'latin1');
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
    expect(Array.from(decodeWav(withList).samples)).toEqual(Array.from(rampSignal(10, 5)));
  });

  it.each([
    ['not RIFF', Buffer.from('nope nope nope'), 'wav-not-riff'],
    ['truncated data', encodeWav(rampSignal(10, 1)).subarray(0, 50), 'wav-no-data'],
    ['no data chunk', encodeWav(new Int16Array(0)).subarray(0, 36), 'wav-no-data'],
  ])('refuses %s', (_what, bytes, code) => {
    expect(() => decodeWav(bytes)).toThrow(WavFormatError);
    try {
      decodeWav(bytes);
    } catch (err) {
      expect((err as WavFormatError).code).toBe(code);
    }
  });

  it('noise is reproducible, seed-dependent and never zero', () => {
    expect(Array.from(noiseSignal(100, 3))).toEqual(Array.from(noiseSignal(100, 3)));
    expect(Array.from(noiseSignal(100, 3))).not.toEqual(Array.from(noiseSignal(100, 4)));
    expect(noiseSignal(10_000, 9).every((s) => s !== 0)).toBe(true);
  });

  it('finds a signal after silence and reports exact and broken copies', () => {
    const sent = noiseSignal(2000, 11);
    const received = padWithSilence(sent, 1024, 300);
    expect(firstNonSilent(received)).toBe(1024);
    expect(matchSignal(received, sent)).toMatchObject({ offset: 1024, available: 2000, mismatches: 0, firstMismatch: -1 });

    const damaged = received.slice();
    damaged[1024 + 700] = (damaged[1024 + 700]! + 1) | 0;
    expect(matchSignal(damaged, sent)).toMatchObject({ mismatches: 1, firstMismatch: 700, maxDifference: 1 });
    expect(matchSignal(damaged, sent, 1).mismatches).toBe(0);

    const cut = received.subarray(0, 1024 + 1500);
    expect(matchSignal(cut, sent)).toMatchObject({ available: 1500, mismatches: 500, firstMismatch: 1500 });
    expect(matchSignal(new Int16Array(50), sent).offset).toBe(-1);
  });

  it('splits a recorded ramp into its contiguous runs', () => {
    const ramp = rampSignal(100, 100);
    expect(rampRuns(padWithSilence(ramp, 10, 10))).toEqual([{ at: 10, first: 100, length: 100 }]);
    // 20 samples lost, then 5 of silence inserted.
    const broken = new Int16Array([0, 0, ...ramp.subarray(0, 30), ...ramp.subarray(50, 70), 0, 0, 0, 0, 0, ...ramp.subarray(70)]);
    expect(rampRuns(broken)).toEqual([
      { at: 2, first: 100, length: 30 },
      { at: 32, first: 150, length: 20 },
      { at: 57, first: 170, length: 30 },
    ]);
    expect(rampRuns(new Int16Array(20))).toEqual([]);
  });
});
