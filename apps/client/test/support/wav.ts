import { readFile, writeFile } from 'node:fs/promises';

/** The audio format of every fixture: classic 8 kHz, mono, signed 16-bit. */
export const FIXTURE_RATE = 8000;

/** A WAV file that is not 16-bit PCM, or is truncated. */
export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
  constructor(
    readonly code: 'wav-not-riff' | 'wav-no-fmt' | 'wav-no-data' | 'wav-unsupported',
    message: string,
  ) {
    super(message);
  }
}

/** Decoded WAV content. */
export interface WavContent {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly samples: Int16Array;
}

/** Encodes mono s16 samples as a canonical 44-byte-header WAV file. */
export function encodeWav(samples: Int16Array, sampleRate = FIXTURE_RATE): Buffer {
  const dataBytes = samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, 44 + i * 2);
  return out;
}

/**
 * Decodes a PCM WAV file, walking its chunks. Strict: the data chunk's declared size
 * must fit in the file (a sink that never wrote its final header fails here).
 */
export function decodeWav(bytes: Uint8Array): WavContent {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('wav-not-riff', `not a RIFF/WAVE file (${buf.length} bytes)`);
  }
  let fmt: Omit<WavContent, 'samples'> | null = null;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw new WavFormatError('wav-no-fmt', 'fmt chunk truncated');
      const formatTag = buf.readUInt16LE(body);
      fmt = { channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4), bitsPerSample: buf.readUInt16LE(body + 14) };
      if (formatTag !== 1 || fmt.bitsPerSample !== 16) {
        throw new WavFormatError('wav-unsupported', `format ${formatTag} with ${fmt.bitsPerSample} bits; expected PCM 16-bit`);
      }
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('wav-no-fmt', 'data chunk before fmt chunk');
      if (body + size > buf.length) {
        throw new WavFormatError('wav-no-data', `data chunk declares ${size} bytes, file holds ${buf.length - body}`);
      }
      const samples = new Int16Array(size >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + i * 2);
      return { ...fmt, samples };
    }
    offset = body + size + (size & 1);
  }
  throw new WavFormatError(fmt ? 'wav-no-data' : 'wav-no-fmt', 'no data chunk');
}

/** Writes mono s16 samples to a WAV file. */
export async function writeWav(path: string, samples: Int16Array, sampleRate = FIXTURE_RATE): Promise<void> {
  await writeFile(path, encodeWav(samples, sampleRate));
}

/** Reads and decodes a WAV file (see {@link decodeWav}). */
export async function readWav(path: string): Promise<WavContent> {
  return decodeWav(await readFile(path));
}

/**
 * A reproducible pseudo-random signal (xorshift32), never exactly zero, so that the
 * first non-silent sample of a recording marks where the signal starts.
 */
export function noiseSignal(count: number, seed: number, amplitude = 12000): Int16Array {
  let x = seed >>> 0 || 1;
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const v = Math.round(((x / 0xffffffff) * 2 - 1) * amplitude);
    out[i] = v === 0 ? 1 : v;
  }
  return out;
}

/** A linear ramp: `start, start + step, ...`, wrapped into the s16 range. */
export function rampSignal(count: number, start: number, step = 1): Int16Array {
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) out[i] = start + i * step; // Int16Array wraps
  return out;
}

/** Samples of silence then `signal` then silence. */
export function padWithSilence(signal: Int16Array, before: number, after: number): Int16Array {
  const out = new Int16Array(before + signal.length + after);
  out.set(signal, before);
  return out;
}

/** Index of the first sample whose magnitude exceeds `threshold`, or -1. */
export function firstNonSilent(samples: Int16Array, threshold = 0): number {
  for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i]!) > threshold) return i;
  return -1;
}

/** How `received` compares with `expected` from `offset` on. */
export interface SignalMatch {
  /** Where the signal was found (first non-silent sample), or -1. */
  readonly offset: number;
  /** Samples of `expected` present in `received` after `offset`. */
  readonly available: number;
  /** Samples that differ by more than the tolerance. */
  readonly mismatches: number;
  /** Index (in `expected`) of the first mismatch, or -1. */
  readonly firstMismatch: number;
  /** Largest absolute difference seen. */
  readonly maxDifference: number;
}

/**
 * Finds `expected` in `received` (starting at its first non-silent sample) and
 * compares it sample by sample. `tolerance` 0 means bit-exact.
 */
export function matchSignal(received: Int16Array, expected: Int16Array, tolerance = 0, threshold = 0): SignalMatch {
  const offset = firstNonSilent(received, threshold);
  if (offset < 0) return { offset, available: 0, mismatches: expected.length, firstMismatch: 0, maxDifference: Infinity };
  const available = Math.min(expected.length, received.length - offset);
  let mismatches = expected.length - available;
  let firstMismatch = available < expected.length ? available : -1;
  let maxDifference = 0;
  for (let i = 0; i < available; i++) {
    const d = Math.abs(received[offset + i]! - expected[i]!);
    if (d > maxDifference) maxDifference = d;
    if (d > tolerance) {
      mismatches++;
      if (firstMismatch < 0 || i < firstMismatch) firstMismatch = i;
    }
  }
  return { offset, available, mismatches, firstMismatch, maxDifference };
}

/** Converts s16le bytes (raw PCM, e.g. a `parec --raw` recording) to samples. */
export function samplesFromS16le(bytes: Uint8Array): Int16Array {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(buf.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = buf.readInt16LE(i * 2);
  return out;
}

/** Converts samples to s16le bytes (raw PCM, e.g. for `pacat --raw`). */
export function s16leFromSamples(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}

/** A stretch of a recording where each sample is the previous one plus `step`. */
export interface Run {
  /** Index in the recording. */
  readonly at: number;
  readonly first: number;
  readonly length: number;
}

/**
 * The runs of a ramp found in a recording (non-silent stretches where each sample is
 * the previous plus `step`). Runs
 * shorter than `minLength` are left out; runs are in recording order. A ramp heard
 * whole is exactly one run.
 */
export function rampRuns(recording: Int16Array, step = 1, minLength = 8): Run[] {
  const runs: Run[] = [];
  let at = -1;
  for (let i = 0; i <= recording.length; i++) {
    const continues = at >= 0 && i < recording.length && recording[i] === ((recording[i - 1]! + step) << 16) >> 16;
    if (continues) continue;
    if (at >= 0 && i - at >= minLength) runs.push({ at, first: recording[at]!, length: i - at });
    at = i < recording.length && recording[i] !== 0 ? i : -1;
  }
  return runs;
}
