// Tests of the v2 signalling codec: golden bytes for every type, refusals by code, and properties on random bytes.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { v2Signal } from '../../test/v2/arbitraries.js';
import { DEFAULT_V2_CAPS, V2EncodeError, decodeV2Signal, encodeV2Signal, peekV2SignalHeader, toHex, type V2Signal } from './index.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const base = { callId: '0123456789abcdef', messageId: 1 };
const HEADER = (type: string, id = '00000001') => `0e 02 ${type} 00  0123456789abcdef  ${id}`;

const golden: [string, V2Signal, string][] = [
  [
    'OFFER',
    { ...base, type: 'OFFER', caller: 'alice', callee: 'bob', ssrc: 0x11223344, caps: DEFAULT_V2_CAPS, commitment: new Uint8Array(32).fill(0xaa) },
    `${HEADER('01')}  05 616c696365  03 626f62  11223344  01 01 60 00001f40 01 02 00a0 0200  ${'aa'.repeat(32)}`,
  ],
  ['RINGING', { ...base, messageId: 2, type: 'RINGING', publicKey: new Uint8Array(32).fill(0x42) }, `${HEADER('02', '00000002')}  ${'42'.repeat(32)}`],
  ['KEY', { ...base, type: 'KEY', publicKey: new Uint8Array(32).fill(0x17) }, `${HEADER('03')}  ${'17'.repeat(32)}`],
  [
    'ANSWER',
    { ...base, type: 'ANSWER', ssrc: 0xdeadbeef, format: { codec: 1, payloadType: 96, clockRate: 8000, channels: 1, frameSize: 160 } },
    `${HEADER('04')}  deadbeef  01 60 00001f40 01 00a0`,
  ],
  ['REJECT', { ...base, type: 'REJECT' }, HEADER('05')],
  ['BUSY', { ...base, type: 'BUSY' }, HEADER('06')],
  ['CANCEL', { ...base, type: 'CANCEL' }, HEADER('07')],
  ['BYE', { ...base, messageId: 0xfffffffe, type: 'BYE' }, HEADER('08', 'fffffffe')],
  ['ACK', { ...base, messageId: 3, type: 'ACK', acknowledges: 2 }, `${HEADER('09', '00000003')}  00000002`],
];

describe('v2 signalling messages', () => {
  test.each(golden)('%s encodes to its golden bytes and decodes back', (_type, message, bytes) => {
    expect(toHex(encodeV2Signal(message))).toBe(toHex(hex(bytes)));
    expect(decodeV2Signal(hex(bytes))).toEqual({ ok: true, value: message });
  });

  test('the header can be read without decoding the body', () => {
    expect(peekV2SignalHeader(hex(golden[0]![2]))).toEqual({ ok: true, value: { type: 'OFFER', sealed: false, callId: base.callId, messageId: 1 } });
  });

  test.each([
    ['not-v2: wrong marker', `0f 02 05 00 0123456789abcdef 00000001`, 'signal-not-v2'],
    ['not-v2: short header', `0e 02 05 00 0123456789abcdef 000000`, 'signal-not-v2'],
    ['bad version', `0e 03 05 00 0123456789abcdef 00000001`, 'signal-bad-version'],
    ['unknown type 0', `0e 02 00 00 0123456789abcdef 00000001`, 'signal-bad-type'],
    ['unknown type 10', `0e 02 0a 00 0123456789abcdef 00000001`, 'signal-bad-type'],
    ['reserved flag', `0e 02 05 02 0123456789abcdef 00000001`, 'signal-bad-flags'],
    ['sealed', `0e 02 05 01 0123456789abcdef 00000001 ${'00'.repeat(16)}`, 'signal-sealed'],
    ['too long', `0e 02 05 00 0123456789abcdef 00000001 ${'00'.repeat(497)}`, 'signal-too-long'],
    ['REJECT with a body', `0e 02 05 00 0123456789abcdef 00000001 00`, 'signal-malformed'],
    ['ACK cut short', `0e 02 09 00 0123456789abcdef 00000001 000000`, 'signal-malformed'],
    ['KEY with 31 bytes', `0e 02 03 00 0123456789abcdef 00000001 ${'11'.repeat(31)}`, 'signal-malformed'],
    ['ANSWER with frame size 0', `0e 02 04 00 0123456789abcdef 00000001 deadbeef 01 60 00001f40 01 0000`, 'signal-malformed'],
    ['ANSWER with payload type 128', `0e 02 04 00 0123456789abcdef 00000001 deadbeef 01 80 00001f40 01 00a0`, 'signal-malformed'],
  ])('refuses %s with a code', (_what, bytes, code) => {
    expect(decodeV2Signal(hex(bytes))).toMatchObject({ ok: false, code });
  });

  test('OFFER: an invalid name, zero formats or a trailing byte is malformed', () => {
    const offer = toHex(encodeV2Signal(golden[0]![1]));
    expect(decodeV2Signal(hex(offer.replace('05616c696365', '05616c69632f')))).toMatchObject({ code: 'signal-malformed' }); // "alic/"
    expect(decodeV2Signal(hex(offer.replace('05616c696365', '00')))).toMatchObject({ code: 'signal-malformed' }); // empty name
    expect(decodeV2Signal(hex(offer.replace('11223344010160', '11223344000160')))).toMatchObject({ code: 'signal-malformed' });
    expect(decodeV2Signal(hex(`${offer}00`))).toMatchObject({ code: 'signal-malformed' });
  });

  test.each([
    ['callId', { ...base, callId: '0123456789ABCDEF', type: 'BYE' }],
    ['messageId', { ...base, messageId: 2 ** 32, type: 'BYE' }],
    ['publicKey', { ...base, type: 'KEY', publicKey: new Uint8Array(31) }],
    ['caller', { ...golden[0]![1], caller: ' alice' }],
    ['caps', { ...golden[0]![1], caps: [] }],
    ['caps[0].payloadType', { ...golden[0]![1], caps: [{ ...DEFAULT_V2_CAPS[0]!, payloadType: 128 }] }],
  ] as [string, V2Signal][])('encoding refuses a bad %s with V2EncodeError', (field, message) => {
    expect(() => encodeV2Signal(message)).toThrow(expect.objectContaining({ name: 'V2EncodeError', code: 'v2-invalid-field', field }));
    expect(() => encodeV2Signal(message)).toThrow(V2EncodeError);
  });

  test('property: every message round-trips and stays under 512 bytes', () => {
    fc.assert(
      fc.property(v2Signal, (message) => {
        const bytes = encodeV2Signal(message);
        expect(bytes.length).toBeLessThanOrEqual(512 - 16); // room for the tag when sealed
        expect(decodeV2Signal(bytes)).toEqual({ ok: true, value: message });
      }),
    );
  });

  test('property: the decoder never throws on random bytes, and whatever it accepts re-encodes to the same bytes', () => {
    const mutated = fc
      .tuple(v2Signal, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), fc.uint8Array({ maxLength: 8 }))
      .map(([message, edits, cut, tail]) => {
        const bytes = encodeV2Signal(message);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        return Uint8Array.from([...bytes.subarray(0, bytes.length - (cut % 4)), ...tail]);
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), mutated), (bytes) => {
        const decoded = decodeV2Signal(bytes);
        peekV2SignalHeader(bytes);
        if (decoded.ok) expect(toHex(encodeV2Signal(decoded.value))).toBe(toHex(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});
