/** Tests of WAV file sources and sinks on real files. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WavFormatError, WavUnreadableError, WavWriteError } from './errors.js';
import { openWavSink, openWavSource } from './wav-file.js';
import { encodeWavHeader, parseWavHeader } from './wav-header.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'voip-media-wav-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Pseudo-random samples covering the whole int16 range, reproducible. */
function noise(n: number, seed = 1): Int16Array {
  const out = new Int16Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 16) - 32768;
  }
  out[0] = -32768;
  out[1] = 32767;
  return out;
}

/** Writes a WAV file with a custom fmt chunk (and an extra LIST chunk before data). */
function writeWav(path: string, o: { format?: number; channels?: number; rate?: number; bits?: number; data: Uint8Array; list?: boolean }): void {
  const fmt = new Uint8Array(16);
  const v = new DataView(fmt.buffer);
  const channels = o.channels ?? 1;
  const bits = o.bits ?? 16;
  const rate = o.rate ?? 8000;
  v.setUint16(0, o.format ?? 1, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, (rate * channels * bits) / 8, true);
  v.setUint16(12, (channels * bits) / 8, true);
  v.setUint16(14, bits, true);
  const chunk = (id: string, body: Uint8Array) => {
    const h = new Uint8Array(8);
    for (let i = 0; i < 4; i++) h[i] = id.charCodeAt(i);
    new DataView(h.buffer).setUint32(4, body.length, true);
    return Buffer.concat([h, body, body.length & 1 ? new Uint8Array(1) : new Uint8Array(0)]);
  };
  const parts = [chunk('fmt ', fmt), ...(o.list ? [chunk('LIST', new Uint8Array(7).fill(65))] : []), chunk('data', o.data)];
  const body = Buffer.concat([Buffer.from('WAVE'), ...parts]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  writeFileSync(path, Buffer.concat([riff, body]));
}

function readAll(source: { readFrame(): Int16Array | null }): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let f = source.readFrame(); f !== null; f = source.readFrame()) frames.push(f);
  return frames;
}

describe('WAV files', () => {
  it('round-trips samples bit-exactly through a sink and a source', async () => {
    const path = join(dir, 'a.wav');
    const samples = noise(512 * 20);
    const sink = await openWavSink(path);
    for (let i = 0; i < 20; i++) sink.writeFrame(samples.subarray(i * 512, (i + 1) * 512));
    await sink.close();
    await sink.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(44 + 20 * 1024);
    expect(bytes.subarray(0, 44)).toEqual(Buffer.from(encodeWavHeader(8000, 20 * 1024)));
    const source = await openWavSource(path);
    const back = readAll(source);
    await source.close();
    expect(back).toHaveLength(20);
    const joined = new Int16Array(20 * 512);
    back.forEach((f, i) => joined.set(f, i * 512));
    expect(joined).toEqual(samples);
  });

  it('zero-pads the last frame, then ends for good', async () => {
    const path = join(dir, 'short.wav');
    const samples = noise(700);
    writeWav(path, { data: new Uint8Array(samples.buffer), list: true });
    const source = await openWavSource(path);
    const frames = readAll(source);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toEqual(samples.subarray(0, 512));
    expect(frames[1]!.subarray(0, 188)).toEqual(samples.subarray(512));
    expect(frames[1]!.subarray(188).every((x) => x === 0)).toBe(true);
    expect(source.readFrame()).toBeNull();
    await source.close();
    expect(source.readFrame()).toBeNull();
  });

  it.each([
    ['stereo', { channels: 2 }],
    ['44.1 kHz', { rate: 44100 }],
    ['8-bit', { bits: 8 }],
    ['float', { format: 3, bits: 32 }],
  ])('rejects a %s file with wav-format and a conversion hint', async (_name, o) => {
    const path = join(dir, 'bad.wav');
    writeWav(path, { ...o, data: new Uint8Array(1024) });
    const error = await openWavSource(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WavFormatError);
    expect((error as WavFormatError).code).toBe('wav-format');
    expect((error as Error).message).toContain('8000 Hz mono 16-bit');
  });

  it('rejects a file that is not WAV', async () => {
    const path = join(dir, 'x.wav');
    writeFileSync(path, 'hello, this is text');
    await expect(openWavSource(path)).rejects.toMatchObject({ code: 'wav-format' });
  });

  it('reports a missing file as wav-unreadable, saying to choose another audio input', async () => {
    const error = await openWavSource(join(dir, 'missing.wav')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WavUnreadableError);
    expect((error as WavUnreadableError).code).toBe('wav-unreadable');
    expect((error as Error).message).toContain('choose another audio input');
    expect((error as Error).message).not.toContain('--');
  });

  it('reports an unwritable path as wav-unwritable', async () => {
    await expect(openWavSink(join(dir, 'no', 'such', 'dir.wav'))).rejects.toBeInstanceOf(WavWriteError);
  });

  it('leaves a readable file when the process dies before close', async () => {
    const path = join(dir, 'killed.wav');
    const sink = await openWavSink(path);
    const samples = noise(512 * 40);
    for (let i = 0; i < 40; i++) sink.writeFrame(samples.subarray(i * 512, (i + 1) * 512));
    // No close(): the header was last rewritten after frame 32.
    const bytes = new Uint8Array(readFileSync(path));
    const info = parseWavHeader(bytes, bytes.length);
    expect(info.ok && info.value.dataBytes).toBe(32 * 1024);
    const source = await openWavSource(path);
    expect(readAll(source)).toHaveLength(32);
    await source.close();
    await sink.close();
  });

  it('reads a streaming header (data size 0xFFFFFFFF) to the end of the file', async () => {
    const path = join(dir, 'stream.wav');
    const header = encodeWavHeader(8000, 0);
    new DataView(header.buffer).setUint32(40, 0xffffffff, true);
    writeFileSync(path, Buffer.concat([header, new Uint8Array(noise(1024).buffer)]));
    const source = await openWavSource(path);
    expect(readAll(source)).toHaveLength(2);
    await source.close();
  });
});
