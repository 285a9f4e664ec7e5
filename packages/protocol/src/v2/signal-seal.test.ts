// Tests of sealed signalling: layout recomputed with node:crypto, every bit flip refused, nonces never reused.
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { v2Signal } from '../../test/v2/arbitraries.js';
import { SignalSealer, sealV2Signal, decodeV2Signal, encodeV2Signal, openV2Signal, toHex, type DirectionKey, type V2Signal } from './index.js';

const key: DirectionKey = { key: new Uint8Array(32).fill(0x01), salt: Uint8Array.from({ length: 12 }, (_, i) => i) };
const otherKey: DirectionKey = { key: new Uint8Array(32).fill(0x02), salt: key.salt };
const bye: V2Signal = { callId: '0123456789abcdef', messageId: 7, type: 'BYE' };
const answer: V2Signal = {
  callId: '0123456789abcdef',
  messageId: 5,
  type: 'ANSWER',
  ssrc: 0xdeadbeef,
  format: { codec: 1, payloadType: 96, clockRate: 8000, channels: 1, frameSize: 160 },
};

function sealed(message: V2Signal, k: DirectionKey = key): Uint8Array {
  const result = new SignalSealer(k).seal(message);
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

describe('sealed v2 signalling', () => {
  test('a sealed BYE is its header with the sealed flag, then the 16-byte tag (golden: AES-256-GCM is deterministic for a key and nonce)', () => {
    const bytes = sealed(bye);
    expect(toHex(bytes.subarray(0, 16))).toBe('0e020801' + '0123456789abcdef' + '00000007');
    expect(bytes).toHaveLength(32);
    // The tag, computed here with node:crypto alone: nonce = salt XOR message id, AAD = header, empty plaintext.
    const cipher = createCipheriv('aes-256-gcm', key.key, Buffer.from('000102030405060708090a0c', 'hex'));
    cipher.setAAD(bytes.subarray(0, 16));
    cipher.final();
    expect(toHex(bytes.subarray(16))).toBe(cipher.getAuthTag().toString('hex'));
  });

  test('the body is encrypted: a sealed ANSWER shows none of its body bytes, and opens back', () => {
    const clear = encodeV2Signal(answer);
    const bytes = sealed(answer);
    expect(bytes).toHaveLength(clear.length + 16);
    expect(toHex(bytes)).not.toContain(toHex(clear.subarray(16)).slice(0, 8));
    expect(openV2Signal(key, bytes)).toEqual({ ok: true, value: answer });
    // Layout, recomputed with node:crypto alone: header, ciphertext of the body, tag.
    const cipher = createCipheriv('aes-256-gcm', key.key, Buffer.from('000102030405060708090a0e', 'hex')); // salt XOR id 5
    const header = Buffer.from(clear.subarray(0, 16));
    header[3] = 0x01;
    cipher.setAAD(header);
    const expected = Buffer.concat([header, cipher.update(clear.subarray(16)), cipher.final(), cipher.getAuthTag()]);
    expect(toHex(bytes)).toBe(expected.toString('hex'));
  });

  test('every single-bit flip of a sealed message is refused (header and body alike)', () => {
    const bytes = sealed(answer);
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const opened = openV2Signal(key, flipped);
      expect(opened.ok, `bit ${bit}`).toBe(false);
    }
  });

  test('the wrong key, a cleartext message and a truncated tag are refused with codes', () => {
    expect(openV2Signal(otherKey, sealed(bye))).toMatchObject({ ok: false, code: 'signal-auth-failed' });
    expect(openV2Signal(key, encodeV2Signal(bye))).toMatchObject({ ok: false, code: 'signal-not-sealed' });
    expect(openV2Signal(key, sealed(bye).subarray(0, 31))).toMatchObject({ ok: false, code: 'signal-auth-failed' });
    expect(decodeV2Signal(sealed(bye))).toMatchObject({ ok: false, code: 'signal-sealed' });
  });

  test('a message id is sealed once: the same or a lower id is refused, so a nonce never repeats', () => {
    const sealer = new SignalSealer(key);
    expect(sealer.lastMessageId).toBeUndefined();
    expect(sealer.seal(bye).ok).toBe(true);
    expect(sealer.seal(bye)).toMatchObject({ ok: false, code: 'signal-nonce-reuse' });
    expect(sealer.seal({ ...bye, messageId: 6 })).toMatchObject({ ok: false, code: 'signal-nonce-reuse' });
    expect(sealer.seal({ ...bye, messageId: 9 }).ok).toBe(true);
    expect(sealer.lastMessageId).toBe(9);
  });

  test('after the last message id the sealer refuses everything', () => {
    const sealer = new SignalSealer(key);
    expect(sealer.seal({ ...bye, messageId: 0xffffffff }).ok).toBe(true);
    expect(sealer.seal({ ...bye, messageId: 0xffffffff })).toMatchObject({ ok: false, code: 'signal-exhausted' });
  });

  test('property: every message seals and opens back; random bytes never make the opener throw', () => {
    fc.assert(
      fc.property(v2Signal, (message) => {
        expect(openV2Signal(key, sealed(message))).toEqual({ ok: true, value: message });
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, asSealed) => {
        if (asSealed && bytes.length >= 4) bytes.set([0x0e, 0x02, 1 + (bytes[2]! % 9), 0x01]);
        expect(openV2Signal(key, bytes).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sealV2Signal', () => {
  test('gives the bytes a SignalSealer gives for the same message, and they open', () => {
    const key = { key: new Uint8Array(32).fill(3), salt: new Uint8Array(12).fill(5) };
    const message = { type: 'BYE', callId: '0123456789abcdef', messageId: 7 } as const;
    const sealed = sealV2Signal(key, message);
    const fromSealer = new SignalSealer(key).seal(message);
    expect(fromSealer.ok && Buffer.from(fromSealer.value).equals(Buffer.from(sealed))).toBe(true);
    expect(openV2Signal(key, sealed)).toMatchObject({ ok: true, value: message });
  });
});
