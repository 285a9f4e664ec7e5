// Tests of the v2 demultiplexer: no classic datagram is taken for v2 and no v2 datagram for classic, by example and by property.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { name, v2Signal } from '../../test/v2/arbitraries.js';
import { classifyClassicDatagram, decodeClassicSignal, encodeClassicSignal, type ClassicSignal } from '../index.js';
import { MediaSealer, SignalSealer, classifyV2Datagram, encodeV2Signal, type DirectionKey } from './index.js';

const key: DirectionKey = { key: new Uint8Array(32).fill(9), salt: new Uint8Array(12).fill(3) };

const classicSignal: fc.Arbitrary<ClassicSignal> = fc.oneof(
  name.map((caller) => ({ type: 'START' as const, caller })),
  fc.constantFrom<ClassicSignal>({ type: 'ACCEPT' }, { type: 'REJECT' }, { type: 'CLOSE' }),
);

/** Classic datagrams as a classic peer sends them: signal words (with the trailing bytes a decoder tolerates) and 1024-byte PCM of any content. */
const classicDatagram = fc.oneof(
  fc.tuple(classicSignal, fc.constantFrom('', '\n', '\r\n', '\0')).map(([signal, tail]) => Uint8Array.from([...encodeClassicSignal(signal), ...Buffer.from(tail)])),
  fc.uint8Array({ minLength: 1024, maxLength: 1024 }),
  fc.tuple(fc.constantFrom(0x0e, 0x80, 0xbf), fc.uint8Array({ minLength: 1023, maxLength: 1023 })).map(([first, rest]) => Uint8Array.from([first, ...rest])),
);

/** v2 datagrams as a v2 peer sends them, with the kind each must be classified as. */
const v2Datagram: fc.Arbitrary<[Uint8Array, 'signal' | 'media']> = fc.oneof(
  v2Signal.map((message) => [encodeV2Signal(message), 'signal'] as [Uint8Array, 'signal']),
  v2Signal.map((message) => {
    const sealed = new SignalSealer(key).seal(message);
    if (!sealed.ok) throw new Error(sealed.detail);
    return [sealed.value, 'signal'] as [Uint8Array, 'signal'];
  }),
  fc
    .record({
      ssrc: fc.nat({ max: 0xffffffff }),
      firstSequence: fc.nat({ max: 0xffff }),
      payloadType: fc.nat({ max: 127 }),
      marker: fc.boolean(),
      timestamp: fc.nat({ max: 0xffffffff }),
      length: fc.nat({ max: 1400 }),
    })
    .map((p) => {
      const sealed = new MediaSealer(key, p).seal({ ...p, payload: new Uint8Array(p.length) });
      if (!sealed.ok) throw new Error(sealed.detail);
      return [sealed.value.bytes, 'media'] as [Uint8Array, 'media'];
    }),
);

describe('telling v2 datagrams from classic ones', () => {
  test.each([
    ['START alice', Buffer.from('START alice'), 'other'],
    ['ACCEPT', Buffer.from('ACCEPT'), 'other'],
    ['1024 bytes of PCM starting like a v2 signal', Buffer.from([0x0e, 0x02, ...new Uint8Array(1022)]), 'other'],
    ['1024 bytes of PCM starting like RTP', Buffer.from([0x80, ...new Uint8Array(1023)]), 'other'],
    ['a v2 header', Buffer.from('0e0205000123456789abcdef00000001', 'hex'), 'signal'],
    ['15 bytes after the marker', Buffer.from('0e0205000123456789abcdef000000', 'hex'), 'other'],
    ['an RTP header and a tag', Buffer.alloc(28, 0x80), 'media'],
    ['an RTP header and less than a tag', Buffer.alloc(27, 0x80), 'other'],
    ['first byte 192', Buffer.alloc(100, 0xc0), 'other'],
    ['empty', Buffer.alloc(0), 'other'],
  ])('%s is %s', (_what, bytes, kind) => {
    expect(classifyV2Datagram(new Uint8Array(bytes))).toBe(kind);
  });

  test('property: no classic datagram is taken for v2', () => {
    fc.assert(
      fc.property(classicDatagram, (bytes) => {
        expect(classifyClassicDatagram(bytes).kind).not.toBe('invalid'); // the generator makes real classic datagrams
        expect(classifyV2Datagram(bytes)).toBe('other');
      }),
      { numRuns: 2000 },
    );
  });

  test('property: every v2 datagram is classified as what it is, is never 1024 bytes, and the classic classifier refuses it', () => {
    fc.assert(
      fc.property(v2Datagram, ([bytes, kind]) => {
        expect(classifyV2Datagram(bytes)).toBe(kind);
        expect(bytes.length).not.toBe(1024);
        expect(classifyClassicDatagram(bytes).kind).toBe('invalid');
        expect(decodeClassicSignal(bytes).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  test('property: on any bytes at all, the two classifiers never both claim a datagram', () => {
    const anyBytes = fc.oneof(
      fc.uint8Array({ maxLength: 1100 }),
      fc.uint8Array({ minLength: 1024, maxLength: 1024 }),
      fc.string({ unit: 'binary-ascii', maxLength: 70 }).map((s) => new Uint8Array(Buffer.from(s, 'latin1'))),
    );
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const v2 = classifyV2Datagram(bytes);
        if (v2 !== 'other') expect(classifyClassicDatagram(bytes).kind).toBe('invalid');
      }),
      { numRuns: 5000 },
    );
  });
});
