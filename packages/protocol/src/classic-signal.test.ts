// Tests of classic signalling and audio datagrams, golden bytes included.
import { describe, expect, test } from 'vitest';
import {
  ClassicFrameSizeError,
  classifyClassicDatagram,
  decodeClassicPcm,
  decodeClassicSignal,
  decodeS16leByDataView,
  encodeClassicPcm,
  encodeS16leByDataView,
  encodeClassicSignal,
  type ClassicSignal,
} from './classic-signal.js';
import { CLASSIC_AUDIO } from './constants.js';
import { InvalidNameError } from './name.js';

const ascii = (text: string): Uint8Array => new Uint8Array(Array.from(text, (c) => c.charCodeAt(0)));

/** Golden datagrams: the exact ASCII bytes, no terminator. */
const GOLDEN: ReadonlyArray<readonly [ClassicSignal, number[]]> = [
  [{ type: 'START', caller: 'Client A' }, [0x53, 0x54, 0x41, 0x52, 0x54, 0x20, 0x43, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x20, 0x41]],
  [{ type: 'ACCEPT' }, [0x41, 0x43, 0x43, 0x45, 0x50, 0x54]],
  [{ type: 'REJECT' }, [0x52, 0x45, 0x4a, 0x45, 0x43, 0x54]],
  [{ type: 'CLOSE' }, [0x43, 0x4c, 0x4f, 0x53, 0x45]],
];

describe('classic signals: golden bytes', () => {
  test.each(GOLDEN)('%j encodes to its golden datagram', (signal, wire) => {
    expect(Array.from(encodeClassicSignal(signal))).toEqual(wire);
  });

  test.each(GOLDEN)('%j decodes from its golden datagram', (signal, wire) => {
    expect(decodeClassicSignal(new Uint8Array(wire))).toEqual({ ok: true, value: signal });
    expect(classifyClassicDatagram(new Uint8Array(wire))).toEqual({ kind: 'signal', signal });
  });
});

describe('decodeClassicSignal', () => {
  test.each<[string, string, ClassicSignal]>([
    ['the whole rest is the name', 'START Client A', { type: 'START', caller: 'Client A' }],
    ['a 32-character name', `START ${'x'.repeat(32)}`, { type: 'START', caller: 'x'.repeat(32) }],
    ['a trailing newline', 'ACCEPT\n', { type: 'ACCEPT' }],
    ['a trailing CRLF', 'CLOSE\r\n', { type: 'CLOSE' }],
    ['NUL padding', 'REJECT\0\0\0', { type: 'REJECT' }],
    ['a START with a trailing newline', 'START bob\n', { type: 'START', caller: 'bob' }],
  ])('accepts %s', (_label, text, signal) => {
    expect(decodeClassicSignal(ascii(text))).toEqual({ ok: true, value: signal });
  });

  test.each<[string, Uint8Array, string]>([
    ['an empty datagram', new Uint8Array(0), 'signal-empty'],
    ['padding only', ascii('\r\n\0'), 'signal-empty'],
    ['START alone', ascii('START'), 'signal-missing-caller'],
    ['START and a space', ascii('START '), 'signal-missing-caller'],
    ['lower case', ascii('accept'), 'signal-unknown'],
    ['a prefix', ascii('ACCEPTED'), 'signal-unknown'],
    ['a leading space', ascii(' CLOSE'), 'signal-unknown'],
    ['START without the space', ascii('STARTbob'), 'signal-unknown'],
    ['BUSY (v2 only)', ascii('BUSY'), 'signal-unknown'],
    ['too long for a signal', ascii(`START ${'x'.repeat(80)}`), 'signal-unknown'],
    ['UTF-8', new TextEncoder().encode('START élise'), 'signal-not-ascii'],
    ['a newline inside', ascii('START a\nb'), 'signal-not-ascii'],
    ['a NUL inside', ascii('AC\0CEPT'), 'signal-not-ascii'],
    ['a tab', ascii('START\tbob'), 'signal-not-ascii'],
    ['DEL', ascii('CLOSE\x7f'), 'signal-not-ascii'],
  ])('refuses %s', (_label, bytes, code) => {
    expect(decodeClassicSignal(bytes)).toMatchObject({ ok: false, code });
  });
});

describe('encodeClassicSignal', () => {
  test.each(['', ' bob', 'a\nb', 'x'.repeat(33), 'élise'])('refuses START with caller %j', (caller) => {
    expect(() => encodeClassicSignal({ type: 'START', caller })).toThrow(InvalidNameError);
  });
});

describe('classifyClassicDatagram', () => {
  test('exactly 1024 bytes is audio, whatever they contain', () => {
    const frame = new Uint8Array(1024);
    frame.set(ascii('CLOSE'));
    expect(classifyClassicDatagram(frame)).toEqual({ kind: 'audio', pcm: frame });
  });

  test.each([1023, 1025, 65, 512, 2048])('%i bytes of silence is an audio datagram of the wrong length', (length) => {
    expect(classifyClassicDatagram(new Uint8Array(length))).toMatchObject({ kind: 'invalid', code: 'audio-bad-length' });
  });

  test.each<[string, Uint8Array, string]>([
    ['an empty datagram', new Uint8Array(0), 'signal-empty'],
    ['short binary', new Uint8Array([0xff, 0x01]), 'signal-not-ascii'],
    ['unknown text', ascii('HELLO'), 'signal-unknown'],
  ])('%s is an invalid signal', (_label, bytes, code) => {
    expect(classifyClassicDatagram(bytes)).toMatchObject({ kind: 'invalid', code });
  });
});

describe('classic PCM', () => {
  test('golden bytes: signed 16-bit little-endian', () => {
    const samples = new Int16Array(CLASSIC_AUDIO.samplesPerFrame);
    samples.set([1, -1, 0x1234, -32768, 32767]);
    const bytes = encodeClassicPcm(samples);
    expect(bytes.length).toBe(1024);
    expect(Array.from(bytes.subarray(0, 10))).toEqual([0x01, 0x00, 0xff, 0xff, 0x34, 0x12, 0x00, 0x80, 0xff, 0x7f]);
    expect(bytes.subarray(10).every((b) => b === 0)).toBe(true);
    expect(decodeClassicPcm(bytes)).toEqual(samples);
  });

  test('decodes from an unaligned view inside a larger buffer', () => {
    const backing = new Uint8Array(1 + 1024);
    backing[1] = 0xfe;
    backing[2] = 0xff;
    const samples = decodeClassicPcm(backing.subarray(1));
    expect(samples.length).toBe(512);
    expect(samples[0]).toBe(-2);
  });

  test('encodes samples that sit inside a larger array (offset honoured)', () => {
    const backing = new Int16Array(3 * 512);
    backing[512] = 0x0102;
    backing[1023] = -2;
    const bytes = encodeClassicPcm(backing.subarray(512, 1024));
    expect(bytes.length).toBe(1024);
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x02, 0x01]);
    expect(Array.from(bytes.subarray(1022))).toEqual([0xfe, 0xff]);
  });

  test('decodes from an aligned view at a non-zero offset', () => {
    const backing = new Uint8Array(2 + 1024 + 2);
    backing.fill(0x7f);
    backing.fill(0, 2, 2 + 1024);
    backing[2] = 0x34;
    backing[3] = 0x12;
    const samples = decodeClassicPcm(backing.subarray(2, 2 + 1024));
    expect(samples.length).toBe(512);
    expect(samples[0]).toBe(0x1234);
    expect(samples.subarray(1).every((s) => s === 0)).toBe(true);
  });

  test('the fast path and the portable DataView path agree both ways', () => {
    const samples = new Int16Array(512);
    // A deterministic spread over the whole range, both signs and both extremes.
    for (let i = 0; i < samples.length; i++) samples[i] = ((i * 40503) % 65536) - 32768;
    samples[0] = -32768;
    samples[1] = 32767;
    const portable = encodeS16leByDataView(samples);
    expect(Array.from(encodeClassicPcm(samples))).toEqual(Array.from(portable));
    expect(Array.from(decodeClassicPcm(portable))).toEqual(Array.from(samples));
    expect(Array.from(decodeS16leByDataView(portable))).toEqual(Array.from(samples));
    const odd = new Uint8Array(1025);
    odd.set(portable, 1);
    expect(Array.from(decodeClassicPcm(odd.subarray(1)))).toEqual(Array.from(samples));
  });

  test('an odd offset is copied, so the samples do not depend on the bytes afterwards', () => {
    const backing = new Uint8Array(1 + 1024);
    backing[1] = 0x05;
    const samples = decodeClassicPcm(backing.subarray(1));
    backing[1] = 0x09;
    expect(samples[0]).toBe(5);
  });

  test.runIf(new Uint8Array(new Uint16Array([1]).buffer)[0] === 1)('little-endian hosts: encode and decode are views, not copies', () => {
    const samples = new Int16Array(512);
    const bytes = encodeClassicPcm(samples);
    samples[0] = 0x0201;
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x01, 0x02]);
    const decoded = decodeClassicPcm(bytes);
    bytes[1] = 0x03;
    expect(decoded[0]).toBe(0x0301);
  });

  test.each([0, 511, 513])('encoding %i samples is a ClassicFrameSizeError', (count) => {
    const error = (() => {
      try {
        encodeClassicPcm(new Int16Array(count));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ClassicFrameSizeError);
    expect(error).toMatchObject({ name: 'ClassicFrameSizeError', code: 'audio-bad-length', byteLength: count * 2 });
  });

  test.each([0, 1023, 1025])('decoding %i bytes is a ClassicFrameSizeError', (length) => {
    expect(() => decodeClassicPcm(new Uint8Array(length))).toThrow(ClassicFrameSizeError);
  });

  test('the classic format constants', () => {
    expect(CLASSIC_AUDIO).toEqual({ sampleRate: 8000, channels: 1, bitsPerSample: 16, samplesPerFrame: 512, bytesPerFrame: 1024, frameDurationMs: 64 });
    expect(Object.isFrozen(CLASSIC_AUDIO)).toBe(true);
  });
});
