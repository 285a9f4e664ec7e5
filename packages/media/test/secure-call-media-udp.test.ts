/** Two secure call media over real UDP sockets on loopback, at real time. */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecureCallMedia, type CallMedia } from '../src/index.js';
import { keepingSink, pairParams, rampSample, rampSource } from './support/secure-pair.js';

const sockets: Socket[] = [];
const medias: CallMedia[] = [];

afterEach(async () => {
  await Promise.allSettled(medias.splice(0).map((m) => m.stop()));
  await Promise.all(sockets.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function bind(): Promise<Socket> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return socket;
}

describe('secure call media over UDP loopback', () => {
  it('carries 20 ms sealed frames each way, every frame played bit-exact and in order, paced in real time', async () => {
    const [sa, sb] = [await bind(), await bind()];
    const params = pairParams(160);
    const sinks = [keepingSink({ sampleRate: 8000, samplesPerFrame: 512 }), keepingSink({ sampleRate: 8000, samplesPerFrame: 512 })] as const;
    const a = createSecureCallMedia({ source: rampSource(), sink: sinks[0], v2: params.a, send: (d) => sa.send(d, sb.address().port, '127.0.0.1') });
    const b = createSecureCallMedia({ source: rampSource(), sink: sinks[1], v2: params.b, send: (d) => sb.send(d, sa.address().port, '127.0.0.1') });
    medias.push(a, b);
    const datagrams: Uint8Array[] = [];
    sa.on('message', (d) => a.receive(d));
    sb.on('message', (d) => {
      datagrams.push(d);
      b.receive(d);
    });
    a.start();
    b.start();
    await new Promise((r) => setTimeout(r, 2000));
    await a.stop();
    await b.stop();
    const stats = [a.stats(), b.stats()]; // after stop: every frame written is counted

    // Paced by the clock: 2 s is 100 frames each way, sent or (after a stall of this shared machine) skipped.
    expect(stats[0]!.packetsSent + stats[0]!.framesSkipped).toBeGreaterThanOrEqual(90);
    // Loopback loses nothing; the last datagram may still be in flight when a stops.
    expect(datagrams.length).toBeLessThanOrEqual(stats[0]!.packetsSent);
    expect(datagrams.length).toBeGreaterThanOrEqual(stats[0]!.packetsSent - 1);
    expect(datagrams.every((d) => d.length === 348)).toBe(true);
    for (const [s, sink, peer] of [
      [stats[0]!, sinks[0], stats[1]!],
      [stats[1]!, sinks[1], stats[0]!],
    ] as const) {
      expect(s.packetsSent + s.framesSkipped).toBeGreaterThanOrEqual(90);
      expect(s).toMatchObject({ packetsRejected: 0, packetsReplayed: 0, sendErrors: 0, sinkErrors: 0 });
      // Loopback loses nothing: the only gaps are frames the peer's pump skipped after a stall.
      expect(s.packetsLost).toBeLessThanOrEqual(peer.framesSkipped);
      const played = sink.samples();
      const start = played.indexOf(rampSample(0));
      expect(start).toBeGreaterThanOrEqual(0);
      expect(start / 8).toBeLessThan(300); // the playout delay, sink re-framing included, ms
      // Every frame played is a frame sent, bit for bit and in order. The others are
      // counted: a concealed frame and the real one cross-faded after it, or the frame
      // spliced in when the buffer shrinks its delay (none of either on a quiet machine;
      // a stall of this shared one makes some).
      let matched = 0;
      let other = 0;
      let lastIndex = -1;
      const frames = Math.floor((played.length - start) / 160) - 4; // the last 512 samples may be the re-framer's padding
      for (let k = 0; k < frames; k++) {
        const frame = played.subarray(start + k * 160, start + (k + 1) * 160);
        const j = frame[0]! - 1;
        const isRamp = j % 160 === 0 && frame.every((v, i) => v === rampSample(j + i));
        if (isRamp) {
          expect(j / 160).toBeGreaterThan(lastIndex);
          lastIndex = j / 160;
          matched++;
        } else other++;
      }
      expect(matched).toBeGreaterThan(50);
      expect(other).toBeLessThanOrEqual(2 * s.framesConcealed + s.droppedOverflow);
    }
  });
});
