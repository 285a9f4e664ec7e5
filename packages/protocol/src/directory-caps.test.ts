// Tests of the directory caps validation: canonical form, each rule's code, and the bounds.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_DIRECTORY_CAPS, DIRECTORY_CAPS_LIMITS, decodeDirectoryCaps } from './directory-caps.js';

const format = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ codec: 'L16', rate: 8000, frames: [160, 512], ...extra });

describe('decodeDirectoryCaps', () => {
  test('the default caps pass unchanged and encode as documented', () => {
    expect(decodeDirectoryCaps(DEFAULT_DIRECTORY_CAPS)).toEqual({ ok: true, value: DEFAULT_DIRECTORY_CAPS });
    expect(JSON.stringify(DEFAULT_DIRECTORY_CAPS)).toBe('{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}');
  });

  test('several formats keep their order; unknown codecs are kept', () => {
    const caps = { formats: [format(), { codec: 'PCMU', rate: 8000, frames: [160] }, { codec: 'opus-2.x_y', rate: 48000, frames: [960] }] };
    expect(decodeDirectoryCaps(caps)).toEqual({ ok: true, value: caps });
  });

  test('the result is a copy in canonical key order, without unknown fields', () => {
    const frames = [512, 160];
    const result = decodeDirectoryCaps({ z: 1, formats: [{ frames, rate: 8000, codec: 'L16', ptime: 20 }] });
    expect(result.ok && JSON.stringify(result.value)).toBe('{"formats":[{"codec":"L16","rate":8000,"frames":[512,160]}]}');
    frames.push(1);
    expect(result.ok && result.value.formats[0]?.frames).toEqual([512, 160]);
  });

  const { maxFormats, maxFrames, maxCodecLength, maxRate, maxFrameSamples } = DIRECTORY_CAPS_LIMITS;

  test('values at the bounds pass', () => {
    const caps = {
      formats: Array.from({ length: maxFormats }, () => ({ codec: 'C'.repeat(maxCodecLength), rate: maxRate, frames: Array.from({ length: maxFrames }, () => maxFrameSamples) })),
    };
    expect(decodeDirectoryCaps(caps)).toEqual({ ok: true, value: caps });
    // The largest caps accepted stay about a kilobyte, whatever fields came with them.
    expect(JSON.stringify(caps).length).toBeLessThan(1100);
  });

  test.each<[string, unknown, string]>([
    ['null', null, 'caps-not-object'],
    ['a string', '{"formats":[]}', 'caps-not-object'],
    ['a list', [format()], 'caps-not-object'],
    ['no formats', {}, 'bad-formats'],
    ['formats not a list', { formats: format() }, 'bad-formats'],
    ['an empty formats list', { formats: [] }, 'bad-formats'],
    ['one format too many', { formats: Array.from({ length: maxFormats + 1 }, () => format()) }, 'bad-formats'],
    ['a format that is a number', { formats: [1] }, 'bad-format'],
    ['a format that is null', { formats: [null] }, 'bad-format'],
    ['no codec', { formats: [{ rate: 8000, frames: [160] }] }, 'bad-codec'],
    ['an empty codec', { formats: [format({ codec: '' })] }, 'bad-codec'],
    ['a numeric codec', { formats: [format({ codec: 1 })] }, 'bad-codec'],
    ['a codec too long', { formats: [format({ codec: 'C'.repeat(maxCodecLength + 1) })] }, 'bad-codec'],
    ['a codec with a space', { formats: [format({ codec: 'L 16' })] }, 'bad-codec'],
    ['a codec with a quote', { formats: [format({ codec: 'L16"' })] }, 'bad-codec'],
    ['no rate', { formats: [{ codec: 'L16', frames: [160] }] }, 'bad-rate'],
    ['rate 0', { formats: [format({ rate: 0 })] }, 'bad-rate'],
    ['a fractional rate', { formats: [format({ rate: 8000.5 })] }, 'bad-rate'],
    ['a text rate', { formats: [format({ rate: '8000' })] }, 'bad-rate'],
    ['a rate too high', { formats: [format({ rate: maxRate + 1 })] }, 'bad-rate'],
    ['no frames', { formats: [{ codec: 'L16', rate: 8000 }] }, 'bad-frames'],
    ['empty frames', { formats: [format({ frames: [] })] }, 'bad-frames'],
    ['a frame of 0', { formats: [format({ frames: [160, 0] })] }, 'bad-frames'],
    ['a frame too large', { formats: [format({ frames: [maxFrameSamples + 1] })] }, 'bad-frames'],
    ['a text frame', { formats: [format({ frames: ['160'] })] }, 'bad-frames'],
    ['one frame size too many', { formats: [format({ frames: Array.from({ length: maxFrames + 1 }, () => 160) })] }, 'bad-frames'],
    ['a good format after a bad one', { formats: [format({ rate: -1 }), format()] }, 'bad-rate'],
    ['a bad format after a good one', { formats: [format(), format({ frames: 'all' })] }, 'bad-frames'],
  ])('refuses %s', (_label, caps, code) => {
    expect(decodeDirectoryCaps(caps)).toMatchObject({ ok: false, code });
  });

  test('a refusal names the field', () => {
    expect(decodeDirectoryCaps({ formats: [format(), format({ frames: [] })] })).toEqual({
      ok: false,
      code: 'bad-frames',
      detail: '"caps.formats[1].frames" must list 1-8 integers from 1 to 65535',
    });
  });

  test('never throws on any JSON value, and what it accepts decodes to itself', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = decodeDirectoryCaps(value);
        if (result.ok) expect(decodeDirectoryCaps(JSON.parse(JSON.stringify(result.value)))).toEqual(result);
      }),
    );
  });
});
