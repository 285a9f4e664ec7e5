/** Tests of the L16 payload codec: golden bytes in network order, round trips, odd lengths refused. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeL16, decodeL16InPlace, encodeL16 } from './l16.js';

describe('L16 payload', () => {
  it('puts the most significant byte first (RFC 3551 section 4.5.11)', () => {
    expect(Array.from(encodeL16(Int16Array.of(0x0102, -2, 32767, -32768)))).toEqual([0x01, 0x02, 0xff, 0xfe, 0x7f, 0xff, 0x80, 0x00]);
    expect(Array.from(decodeL16(Uint8Array.of(0x01, 0x02, 0xff, 0xfe))!)).toEqual([0x0102, -2]);
  });

  it('round-trips any samples, from any offset of a larger buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 600 }), fc.nat(7), (values, offset) => {
        const encoded = encodeL16(Int16Array.from(values));
        const shifted = new Uint8Array(offset + encoded.length);
        shifted.set(encoded, offset);
        expect(Array.from(decodeL16(shifted.subarray(offset))!)).toEqual(values);
      }),
    );
  });

  it('round-trips whole frames of both sizes v2 sends (160 samples swapped in a loop, 512 natively) into arrays of their own', () => {
    for (const n of [160, 512]) {
      const samples = Int16Array.from({ length: n }, (_, i) => ((i * 7919) % 65536) - 32768);
      const first = encodeL16(samples);
      const second = encodeL16(samples);
      expect(first[0]).toBe((samples[0]! >> 8) & 0xff);
      expect(first).toEqual(second);
      first.fill(0);
      expect(Array.from(decodeL16(second)!)).toEqual(Array.from(samples));
      const a = decodeL16(second)!;
      const b = decodeL16(second)!;
      a.fill(1);
      expect(Array.from(b)).toEqual(Array.from(samples));
    }
  });

  it('refuses an odd number of bytes', () => {
    expect(decodeL16(new Uint8Array(319))).toBeUndefined();
    expect(decodeL16InPlace(new Uint8Array(319))).toBeUndefined();
  });

  it('decodes in place over the same memory when the offset is even, and copies from an odd offset', () => {
    for (const n of [160, 512]) {
      const samples = Int16Array.from({ length: n }, (_, i) => ((i * 7919) % 65536) - 32768);
      for (const offset of [0, 2, 1, 3]) {
        const encoded = encodeL16(samples);
        const shifted = new Uint8Array(offset + encoded.length);
        shifted.set(encoded, offset);
        const payload = shifted.subarray(offset);
        const decoded = decodeL16InPlace(payload)!;
        expect(Array.from(decoded)).toEqual(Array.from(samples));
        expect(decoded.buffer === shifted.buffer, `offset ${offset}`).toBe(offset % 2 === 0);
      }
    }
  });
});
