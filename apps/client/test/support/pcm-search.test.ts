import { describe, expect, it } from 'vitest';
import { forgeries, observeCall } from './forged-datagrams.js';
import { findPcm, playedFrames } from './pcm-search.js';
import { noiseSignal, s16leFromSamples } from './wav.js';

describe('findPcm', () => {
  const pcm = noiseSignal(800, 3);
  const le = s16leFromSamples(pcm);
  const be = Buffer.from(le).swap16();

  it('finds 16 bytes of the PCM at any offset, either byte order, and nothing in other bytes', () => {
    const datagrams = [
      Buffer.concat([Buffer.from([1, 2, 3]), le.subarray(101, 117)]),
      Buffer.concat([Buffer.alloc(12), be.subarray(400, 416), Buffer.alloc(16)]),
      le.subarray(0, 15), // one byte short
      noiseSignal(200, 4),
    ].map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    expect(findPcm(pcm, datagrams)).toEqual([
      { datagram: 0, offset: 3, order: 'little-endian' },
      { datagram: 1, offset: 12, order: 'big-endian' },
    ]);
  });
});

describe('playedFrames', () => {
  const sent = noiseSignal(160 * 10, 5);
  const frame = (i: number) => sent.subarray(i * 160, (i + 1) * 160);

  it('lists the sent frames found in a recording, at any alignment, and counts repeats and reordering', () => {
    const recording = new Int16Array(160 * 8 + 7);
    recording.set(frame(0), 7);
    recording.set(frame(1), 167);
    recording.set(
      frame(3).map((v) => v >> 1),
      327,
    ); // a concealed frame: not a sent one
    recording.set(frame(4), 487);
    recording.set(frame(4), 647); // played twice
    recording.set(frame(2), 807); // out of order
    expect(playedFrames(recording, sent)).toEqual({ indices: [0, 1, 4, 4, 2], outOfOrder: 2 });
  });
});

describe('forgeries', () => {
  it('imitate the observed call: its call id in the signalling, its SSRC in the RTP, never 1024 bytes but for classic audio', () => {
    const rtp = Buffer.alloc(348);
    rtp.set([0x80, 0x60, 0x12, 0x34, 0, 0, 1, 0, 0xaa, 0xbb, 0xcc, 0xdd]);
    const signal = Buffer.alloc(32);
    signal.set([0x0e, 0x02, 0x09, 0x00, 1, 2, 3, 4, 5, 6, 7, 8]);
    const call = observeCall([signal, rtp]);
    expect(call).toEqual({ callId: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), ssrc: 0xaabbccdd, sequence: 0x1234, timestamp: 256 });
    const forged = forgeries(call, 2, 9);
    expect(forged.map((f) => f.kind).slice(0, 8)).toEqual(['junk', 'classic CLOSE', 'classic audio', 'sealed BYE', 'sealed CANCEL', 'cleartext BYE', 'cleartext CANCEL', 'RTP']);
    expect(forged).toHaveLength(16);
    for (const f of forged.filter((f) => f.kind.includes('BYE') || f.kind.includes('CANCEL')))
      expect(Buffer.from(f.bytes.subarray(4, 12))).toEqual(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
    for (const f of forged.filter((f) => f.kind === 'RTP')) expect(Buffer.from(f.bytes).readUInt32BE(8)).toBe(0xaabbccdd);
    expect(forged.filter((f) => f.bytes.length === 1024).map((f) => f.kind)).toEqual(['classic audio', 'classic audio']);
    expect(forgeries(call, 2, 9)).toEqual(forged);
  });

  it('observeCall says when there is no v2 call on the wire', () => {
    expect(() => observeCall([Buffer.from('CLOSE')])).toThrow(/no v2 call/);
  });
});
