/** Tests of the WAV header parser and writer. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeWavHeader, parseWavHeader, WAV_HEADER_BYTES, wavFormatProblem } from './wav-header.js';

function riff(chunks: Array<[string, Uint8Array]>): Uint8Array {
  const parts: number[] = [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WAVE')];
  for (const [id, body] of chunks) {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(body.length);
    parts.push(...Buffer.from(id), ...size, ...body);
    if (body.length & 1) parts.push(0);
  }
  return new Uint8Array(parts);
}

function fmt(format: number, channels: number, rate: number, bits: number, extensible = false): Uint8Array {
  const b = Buffer.alloc(extensible ? 40 : 16);
  b.writeUInt16LE(extensible ? 0xfffe : format, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  if (extensible) {
    b.writeUInt16LE(22, 16);
    b.writeUInt16LE(format, 24); // first two bytes of the sub-format GUID
  }
  return new Uint8Array(b);
}

describe('parseWavHeader', () => {
  it('round-trips the canonical header', () => {
    const header = encodeWavHeader(8000, 2048);
    const r = parseWavHeader(header, WAV_HEADER_BYTES + 2048);
    expect(r).toEqual({ ok: true, value: { audioFormat: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16, dataOffset: 44, dataBytes: 2048 } });
  });

  it('skips unknown chunks, with their odd-size padding', () => {
    const bytes = riff([
      ['fmt ', fmt(1, 1, 8000, 16)],
      ['LIST', new Uint8Array(5)],
      ['data', new Uint8Array(8)],
    ]);
    const r = parseWavHeader(bytes, bytes.length);
    expect(r.ok && r.value.dataOffset).toBe(12 + 24 + 14 + 8);
    expect(r.ok && r.value.dataBytes).toBe(8);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with a PCM sub-format as PCM', () => {
    const bytes = riff([
      ['fmt ', fmt(1, 1, 8000, 16, true)],
      ['data', new Uint8Array(4)],
    ]);
    const r = parseWavHeader(bytes, bytes.length);
    expect(r.ok && wavFormatProblem(r.value, 8000)).toBeUndefined();
  });

  it('cuts a declared size that runs past the end of the file', () => {
    const header = encodeWavHeader(8000, 1_000_000);
    const r = parseWavHeader(header, WAV_HEADER_BYTES + 100);
    expect(r.ok && r.value.dataBytes).toBe(100);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['not RIFF', new Uint8Array(Buffer.from('RIFX\0\0\0\0WAVE'))],
    ['no fmt', riff([['data', new Uint8Array(4)]])],
    [
      'short fmt',
      riff([
        ['fmt ', new Uint8Array(8)],
        ['data', new Uint8Array(4)],
      ]),
    ],
    ['no data', riff([['fmt ', fmt(1, 1, 8000, 16)]])],
  ])('fails on %s with wav-format', (_name, bytes) => {
    expect(parseWavHeader(bytes, bytes.length)).toMatchObject({ ok: false, code: 'wav-format' });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, prefix) => {
        const bytes = prefix ? new Uint8Array([...Buffer.from('RIFF\0\0\0\0WAVE'), ...tail]) : tail;
        const r = parseWavHeader(bytes, bytes.length);
        if (r.ok) expect(r.value.dataOffset + r.value.dataBytes).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });

  it('names every mismatch', () => {
    const r = parseWavHeader(
      riff([
        ['fmt ', fmt(3, 2, 44100, 32)],
        ['data', new Uint8Array(0)],
      ]),
      100,
    );
    expect(r.ok && wavFormatProblem(r.value, 8000)).toBe('encoding 3 is not integer PCM, 2 channels, 44100 Hz, 32-bit samples');
  });
});
