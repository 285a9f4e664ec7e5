// Tests of the media capabilities: golden bytes, negotiation, round trips.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mediaFormat } from '../../test/v2/arbitraries.js';
import { ByteReader } from './bytes.js';
import { readCaps } from './caps.js';
import { DEFAULT_V2_CAPS, V2_CODEC, encodeCaps, negotiateFormat, toHex, type MediaFormat } from './index.js';

const l16 = (frameSizes: number[], payloadType = 96): MediaFormat => ({ codec: V2_CODEC.L16, payloadType, clockRate: 8000, channels: 1, frameSizes });
const opus: MediaFormat = { codec: V2_CODEC.OPUS, payloadType: 111, clockRate: 48000, channels: 2, frameSizes: [960] };

describe('media capabilities', () => {
  test('the default offer is L16 8 kHz mono on PT 96, 160 samples first, then 512 (golden bytes)', () => {
    expect(toHex(encodeCaps(DEFAULT_V2_CAPS))).toBe('01' + '01' + '60' + '00001f40' + '01' + '02' + '00a0' + '0200');
  });

  test.each([
    ["the offerer's first frame size both list", [l16([160, 512])], [l16([512, 160])], { ...l16([]), frameSize: 160 }],
    ['512 when the answerer lists only 512', [l16([160, 512])], [l16([512])], { ...l16([]), frameSize: 512 }],
    ["the offerer's payload type", [l16([160], 100)], [l16([160], 96)], { ...l16([], 100), frameSize: 160 }],
    ['past a codec the answerer does not know', [opus, l16([160])], [l16([160])], { ...l16([]), frameSize: 160 }],
    ['nothing without a common frame size', [l16([160])], [l16([512])], undefined],
    ['nothing without a common codec', [opus], [l16([160])], undefined],
  ])('negotiateFormat picks %s', (_what, offered, supported, chosen) => {
    const expected = chosen && { codec: chosen.codec, payloadType: chosen.payloadType, clockRate: chosen.clockRate, channels: chosen.channels, frameSize: chosen.frameSize };
    expect(negotiateFormat(offered, supported)).toEqual(expected);
  });

  test('property: caps round-trip through their bytes, unknown codecs included', () => {
    fc.assert(
      fc.property(fc.array(mediaFormat, { minLength: 1, maxLength: 8 }), (caps) => {
        const reader = new ByteReader(encodeCaps(caps));
        expect(readCaps(reader)).toEqual(caps);
        expect(reader.complete).toBe(true);
      }),
    );
  });
});
