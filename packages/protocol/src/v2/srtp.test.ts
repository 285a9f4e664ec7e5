// Tests of RTP headers and SRTP-like media: golden bytes, bit flips, replays, reordering, padding, index estimation.
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../test/v2/seeded-random.js';
import {
  MediaSealer,
  createMediaReceiver,
  decodeRtpHeader,
  encodeRtpHeader,
  estimatePacketIndex,
  openMedia,
  randomMediaStart,
  srtpIv,
  toHex,
  type DirectionKey,
  type MediaReceiver,
} from './index.js';

const key: DirectionKey = { key: new Uint8Array(32).fill(0x33), salt: Uint8Array.from({ length: 12 }, (_, i) => 0xf0 + i) };
const SSRC = 0x11223344;
const frame = (i: number, bytes = 320) => ({ payloadType: 96, timestamp: (1000 + i * 160) >>> 0, payload: new Uint8Array(bytes).fill(i & 0xff) });

function sealMany(count: number, firstSequence = 100, rolloverCounter = 0): Uint8Array[] {
  const sealer = new MediaSealer(key, { ssrc: SSRC, firstSequence, rolloverCounter });
  return Array.from({ length: count }, (_, i) => {
    const sealed = sealer.seal(frame(i));
    if (!sealed.ok) throw new Error(sealed.detail);
    return sealed.value.bytes;
  });
}

/** Opens `packets` in order, returning the receiver and each result's code (or 'ok'). */
function openAll(packets: readonly Uint8Array[], receiver: MediaReceiver = createMediaReceiver(SSRC)): { receiver: MediaReceiver; codes: string[] } {
  const codes: string[] = [];
  for (const bytes of packets) {
    const opened = openMedia(key, receiver, bytes);
    codes.push(opened.ok ? 'ok' : opened.code);
    if (opened.ok) receiver = opened.value.receiver;
  }
  return { receiver, codes };
}

describe('RTP header', () => {
  test('golden bytes: V=2, P, X=0, CC=0, M, PT, sequence, timestamp, SSRC (RFC 3550 section 5.1)', () => {
    const header = { padding: false, marker: true, payloadType: 96, sequence: 0x1234, timestamp: 0xa0b0c0d0, ssrc: SSRC };
    expect(toHex(encodeRtpHeader(header))).toBe('80e01234a0b0c0d011223344');
    expect(decodeRtpHeader(encodeRtpHeader(header))).toEqual({ ok: true, value: header });
    expect(toHex(encodeRtpHeader({ ...header, padding: true, marker: false }))).toBe('a0601234a0b0c0d011223344');
  });

  test.each([
    ['too short', '80e01234a0b0c0d0112233', 'rtp-too-short'],
    ['version 1', '40e01234a0b0c0d011223344', 'rtp-bad-version'],
    ['an extension', '90e01234a0b0c0d011223344', 'rtp-unsupported'],
    ['a CSRC', '81e01234a0b0c0d011223344', 'rtp-unsupported'],
  ])('refuses %s', (_what, bytes, code) => {
    expect(decodeRtpHeader(new Uint8Array(Buffer.from(bytes, 'hex')))).toMatchObject({ ok: false, code });
  });
});

describe('SRTP-like media (RFC 7714 AES-GCM)', () => {
  test('a sealed packet is the header, the payload under AES-256-GCM with IV = salt XOR (0, SSRC, ROC, SEQ), then the tag', () => {
    const sealer = new MediaSealer(key, { ssrc: SSRC, firstSequence: 0xfffe, rolloverCounter: 7 });
    sealer.seal(frame(0));
    const sealed = sealer.seal(frame(1));
    if (!sealed.ok) throw new Error(sealed.detail);
    expect(sealed.value.index).toBe(7 * 65536 + 0xffff);
    const header = encodeRtpHeader({ padding: false, marker: false, payloadType: 96, sequence: 0xffff, timestamp: 1160, ssrc: SSRC });
    const iv = Buffer.from('0000' + '11223344' + '00000007' + 'ffff', 'hex').map((b, i) => b ^ key.salt[i]!);
    expect(toHex(srtpIv(key.salt, SSRC, sealed.value.index))).toBe(toHex(iv));
    const cipher = createCipheriv('aes-256-gcm', key.key, iv);
    cipher.setAAD(header);
    const expected = Buffer.concat([header, cipher.update(frame(1).payload), cipher.final(), cipher.getAuthTag()]);
    expect(toHex(sealed.value.bytes)).toBe(expected.toString('hex'));
    expect(sealer.nextIndex).toBe(8 * 65536); // the next packet wraps SEQ to 0 and ROC to 8
  });

  test('a packet opens back to its header fields and payload, and the receiver then holds it', () => {
    const [bytes] = sealMany(1);
    const opened = openMedia(key, createMediaReceiver(SSRC), bytes!);
    if (!opened.ok) throw new Error(opened.detail);
    expect(opened.value.packet).toEqual({ marker: false, payloadType: 96, sequence: 100, timestamp: 1000, ssrc: SSRC, payload: frame(0).payload });
    expect(opened.value.index).toBe(100);
    expect(opened.value.receiver.window.top).toBe(100);
    // The payload is bytes of its own: modifying it leaves the datagram as it was, and it opens again the same.
    opened.value.packet.payload.fill(0xee);
    const again = openMedia(key, createMediaReceiver(SSRC), bytes!);
    expect(again.ok && again.value.packet.payload).toEqual(frame(0).payload);
  });

  test('two streams sealed and opened interleaved: every packet opens, and a later seal never changes an earlier packet (the nonce and header are per packet)', () => {
    const other: DirectionKey = { key: new Uint8Array(32).fill(0x44), salt: new Uint8Array(12).fill(0x0f) };
    const sealers = [new MediaSealer(key, { ssrc: SSRC, firstSequence: 7 }), new MediaSealer(other, { ssrc: 99, firstSequence: 60_000 })];
    const keys = [key, other];
    let receivers = [createMediaReceiver(SSRC), createMediaReceiver(99)];
    const sent: { stream: number; bytes: Uint8Array; copy: Uint8Array }[] = [];
    for (let i = 0; i < 300; i++) {
      const stream = i % 2;
      const sealed = sealers[stream]!.seal(frame(i, stream === 0 ? 320 : 1024));
      if (!sealed.ok) throw new Error(sealed.detail);
      sent.push({ stream, bytes: sealed.value.bytes, copy: sealed.value.bytes.slice() });
    }
    for (const { stream, bytes, copy } of sent) {
      expect(bytes).toEqual(copy);
      const opened = openMedia(keys[stream]!, receivers[stream]!, bytes);
      if (!opened.ok) throw new Error(opened.code);
      receivers = receivers.map((r, k) => (k === stream ? opened.value.receiver : r));
    }
  });

  test('every single-bit flip of a sealed packet is refused', () => {
    const [bytes] = sealMany(1);
    const receiver = createMediaReceiver(SSRC);
    for (let bit = 0; bit < bytes!.length * 8; bit++) {
      const flipped = bytes!.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(openMedia(key, receiver, flipped).ok, `bit ${bit}`).toBe(false);
    }
    expect(openMedia(key, receiver, bytes!).ok).toBe(true);
  });

  test('a forged packet does not move the window: the real one still opens afterwards', () => {
    const packets = sealMany(3);
    const forged = packets[2]!.slice();
    forged[forged.length - 1]! ^= 1;
    const { codes } = openAll([packets[0]!, forged, packets[1]!, packets[2]!]);
    expect(codes).toEqual(['ok', 'media-auth-failed', 'ok', 'ok']);
  });

  test('each of 512 replayed packets is refused as a replay (authentic, seen or older than the window)', () => {
    const packets = sealMany(512);
    const first = openAll(packets);
    expect(first.codes.every((c) => c === 'ok')).toBe(true);
    const again = openAll(packets, first.receiver);
    expect(again.codes.slice(0, 512 - 128).every((c) => c === 'media-too-old')).toBe(true);
    expect(again.codes.slice(512 - 128).every((c) => c === 'media-replayed')).toBe(true);
  });

  test('reordering within the window is accepted; a packet arriving 128 or more behind the newest is refused', () => {
    const packets = sealMany(600);
    const order = packets.map((_, i) => i);
    const rng = seededRandom('reorder');
    for (let i = 0; i + 100 < order.length; i += 50) {
      const a = i + (rng(1)[0]! % 50);
      const b = a + (rng(1)[0]! % 50);
      [order[a], order[b]] = [order[b]!, order[a]!]; // displacement under 100
    }
    expect(openAll(order.map((i) => packets[i]!)).codes.every((c) => c === 'ok')).toBe(true);
    // Packet 10 held back: 127 behind the newest (top 137) it is still in the window; 128 behind (top 138) it is not.
    expect(openAll([...packets.slice(0, 10), ...packets.slice(11, 138), packets[10]!]).codes.at(-1)).toBe('ok');
    expect(openAll([...packets.slice(0, 10), ...packets.slice(11, 139), packets[10]!]).codes.at(-1)).toBe('media-too-old');
  });

  test('a packet from another SSRC, one of 1024 bytes, or a short one is refused before decryption', () => {
    const [bytes] = sealMany(1);
    expect(openMedia(key, createMediaReceiver(SSRC + 1), bytes!)).toMatchObject({ ok: false, code: 'media-bad-ssrc' });
    expect(openMedia(key, createMediaReceiver(SSRC), new Uint8Array(1024).fill(0x80))).toMatchObject({ ok: false, code: 'media-malformed' });
    expect(openMedia(key, createMediaReceiver(SSRC), bytes!.subarray(0, 27))).toMatchObject({ ok: false, code: 'media-malformed' });
  });

  test('a payload that would make a 1024-byte datagram gets one byte of RTP padding, removed on opening', () => {
    const sealer = new MediaSealer(key, { ssrc: SSRC, firstSequence: 0 });
    const sealed = sealer.seal(frame(0, 1024 - 12 - 16));
    if (!sealed.ok) throw new Error(sealed.detail);
    expect(sealed.value.bytes).toHaveLength(1025);
    expect(sealed.value.bytes[0]! & 0x20).toBe(0x20);
    const opened = openMedia(key, createMediaReceiver(SSRC), sealed.value.bytes);
    expect(opened.ok && opened.value.packet.payload).toEqual(frame(0, 996).payload);
  });

  test('property: no sealed packet is ever 1024 bytes, and every one opens to its payload', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1400 }), (length) => {
        const sealed = new MediaSealer(key, { ssrc: SSRC, firstSequence: 0 }).seal(frame(0, length));
        expect(sealed.ok && sealed.value.bytes.length).not.toBe(1024);
        const opened = sealed.ok && openMedia(key, createMediaReceiver(SSRC), sealed.value.bytes);
        expect(opened && opened.ok && opened.value.packet.payload.length).toBe(length);
      }),
    );
  });

  test('property: random bytes never make the opener or the header decoder throw, and never open', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1100 }), fc.boolean(), (bytes, rtpLike) => {
        if (rtpLike && bytes.length > 0) bytes[0] = 0x80 | (bytes[0]! & 0x20);
        if (rtpLike && bytes.length >= 12) new DataView(bytes.buffer, bytes.byteOffset).setUint32(8, SSRC);
        decodeRtpHeader(bytes);
        expect(openMedia(key, createMediaReceiver(SSRC), bytes).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  test('past index 2^48 - 1 the sealer refuses to seal', () => {
    const sealer = new MediaSealer(key, { ssrc: SSRC, firstSequence: 0xffff, rolloverCounter: 0xffffffff });
    expect(sealer.seal(frame(0))).toMatchObject({ ok: true, value: { index: 2 ** 48 - 1 } });
    expect(sealer.seal(frame(1))).toMatchObject({ ok: false, code: 'media-exhausted' });
  });

  test.each([
    ['first packet', -1, 5, 5],
    ['next in order', 100, 101, 101],
    ['before the stream (ROC would be -1)', 100, 65500, -1],
    ['just after a wrap', 65530, 3, 65539],
    ['late, from before the wrap', 65536 + 2, 65534, 65534],
    ['in the middle of ROC 5', 5 * 65536 + 40000, 39000, 5 * 65536 + 39000],
    ['past the last ROC', 0xffffffff * 65536 + 65530, 2, -1],
  ])('packet index estimate (RFC 3711 Appendix A): %s', (_what, top, seq, index) => {
    expect(estimatePacketIndex(top, seq)).toBe(index);
  });

  test('randomMediaStart draws SSRC and timestamp from the source and a first sequence number below 2^15', () => {
    const start = randomMediaStart(() => new Uint8Array(10).fill(0xff));
    expect(start).toEqual({ ssrc: 0xffffffff, firstSequence: 0x7fff, firstTimestamp: 0xffffffff });
    expect(randomMediaStart(seededRandom('a'))).toEqual(randomMediaStart(seededRandom('a')));
  });
});
