// Tests of a long call (unique IVs over 300,000 packets across sequence wraps) and the seal/open time per packet.
import { describe, expect, test } from 'vitest';
import { MediaSealer, createMediaReceiver, openMedia, srtpIv, toHex, type DirectionKey, type MediaReceiver } from './index.js';

const key: DirectionKey = { key: new Uint8Array(32).fill(0x5a), salt: Uint8Array.from({ length: 12 }, (_, i) => i * 17) };
const SSRC = 0xcafef00d;

describe('a long call', () => {
  test('300,000 packets across four sequence-number wraps: every IV is unique and every packet opens, reordered around each wrap', () => {
    const count = 300_000;
    const sealer = new MediaSealer(key, { ssrc: SSRC, firstSequence: 65_000 });
    const payload = new Uint8Array(32);
    const ivs = new Set<string>();
    let receiver: MediaReceiver = createMediaReceiver(SSRC);
    let held: Uint8Array | undefined;
    let opened = 0;
    const open = (bytes: Uint8Array) => {
      const result = openMedia(key, receiver, bytes);
      if (!result.ok) throw new Error(`${result.code}: ${result.detail}`);
      receiver = result.value.receiver;
      opened++;
    };
    for (let i = 0; i < count; i++) {
      const sealed = sealer.seal({ payloadType: 96, timestamp: (i * 160) >>> 0, payload });
      if (!sealed.ok) throw new Error(sealed.detail);
      ivs.add(toHex(srtpIv(key.salt, SSRC, sealed.value.index)));
      const seq = sealed.value.index % 65536;
      // Hold back SEQ 65535 and deliver it after SEQ 0 of the next cycle: the receiver must guess ROC - 1.
      if (seq === 65535) {
        held = sealed.value.bytes;
        continue;
      }
      open(sealed.value.bytes);
      if (seq === 0 && held) {
        open(held);
        held = undefined;
      }
    }
    expect(ivs.size).toBe(count);
    expect(opened).toBe(count);
    expect(Math.floor(receiver.window.top / 65536)).toBe(Math.floor((65_000 + count - 1) / 65536));
    expect(Math.floor(receiver.window.top / 65536)).toBeGreaterThanOrEqual(4);
  }, 120_000);

  test('sealing and opening 1,000 packets of 20 ms L16 (320 bytes): the time per packet is reported, never asserted', () => {
    const sealer = new MediaSealer(key, { ssrc: SSRC, firstSequence: 1 });
    const payload = new Uint8Array(320).fill(7);
    let warm = createMediaReceiver(SSRC);
    for (let i = 0; i < 200; i++) {
      // Untimed warm-up, so that the figure is not the JIT's.
      const sealed = sealer.seal({ payloadType: 96, timestamp: i * 160, payload });
      const result = sealed.ok && openMedia(key, warm, sealed.value.bytes);
      if (result && result.ok) warm = result.value.receiver;
    }
    const packets: Uint8Array[] = [];
    const sealStart = performance.now();
    for (let i = 0; i < 1000; i++) {
      const sealed = sealer.seal({ payloadType: 96, timestamp: i * 160, payload });
      if (sealed.ok) packets.push(sealed.value.bytes);
    }
    const sealEnd = performance.now();
    let receiver = warm;
    let opened = 0;
    for (const bytes of packets) {
      const result = openMedia(key, receiver, bytes);
      if (result.ok) {
        receiver = result.value.receiver;
        opened++;
      }
    }
    const openEnd = performance.now();
    expect(packets).toHaveLength(1000);
    expect(opened).toBe(1000);
    const perPacket = (ms: number) => ((ms * 1000) / 1000).toFixed(1);
    console.log(`v2 media: seal ${perPacket(sealEnd - sealStart)} µs/packet, open ${perPacket(openEnd - sealEnd)} µs/packet (1,000 packets of 320 bytes)`);
  });
});
