/** Two call media over real UDP sockets on loopback. */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCallMedia, openAudioSink, openAudioSource, type CallMedia } from '../src/index.js';
import { createToneSource } from '../src/internal.js';

let dir: string;
const sockets: Socket[] = [];
const medias: CallMedia[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'voip-media-udp-'));
});
afterEach(async () => {
  await Promise.allSettled(medias.splice(0).map((m) => m.stop()));
  await Promise.all(sockets.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  rmSync(dir, { recursive: true, force: true });
});

async function bind(): Promise<Socket> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return socket;
}

/** Writes `frames` frames of a tone (a non-repeating frequency) to a WAV file. */
async function writeToneWav(path: string, hz: number, frames: number): Promise<Int16Array> {
  const tone = createToneSource(hz, { amplitude: 20000 });
  const sink = await openAudioSink(`wav:${path}`);
  const all = new Int16Array(frames * 512);
  for (let i = 0; i < frames; i++) {
    const f = tone.readFrame()!;
    all.set(f, i * 512);
    sink.writeFrame(f);
  }
  await sink.close();
  return all;
}

function wavSamples(path: string): Int16Array {
  const bytes = readFileSync(path);
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + bytes.length));
}

/**
 * Splits what was played into the frames of `sent` it starts with (their indices, in
 * play order, each matched bit for bit) and the rest after them.
 */
function receivedFrames(received: Int16Array, sent: Int16Array): { indices: number[]; rest: Int16Array } {
  const n = 512;
  const indices: number[] = [];
  let at = 0;
  let from = 0;
  for (; at + n <= received.length; at += n) {
    const frame = received.subarray(at, at + n);
    let j = from;
    while (j * n < sent.length && !sent.subarray(j * n, (j + 1) * n).every((v, i) => v === frame[i])) j++;
    if (j * n >= sent.length) break;
    indices.push(j);
    from = j + 1;
  }
  return { indices, rest: received.subarray(at) };
}

describe('call media over UDP loopback', () => {
  it('carries a WAV each way bit-exactly, then the silence sent after it', async () => {
    const frames = 25; // 1.6 s
    const sentA = await writeToneWav(join(dir, 'a-in.wav'), 437.3, frames);
    const sentB = await writeToneWav(join(dir, 'b-in.wav'), 1201.7, frames);
    const [sa, sb] = [await bind(), await bind()];
    const portOf = (s: Socket) => s.address().port;

    const a = createCallMedia({
      source: await openAudioSource(`wav:${join(dir, 'a-in.wav')}`),
      sink: await openAudioSink(`wav:${join(dir, 'a-out.wav')}`),
      send: (d) => sa.send(d, portOf(sb), '127.0.0.1'),
    });
    const b = createCallMedia({
      source: await openAudioSource(`wav:${join(dir, 'b-in.wav')}`),
      sink: await openAudioSink(`wav:${join(dir, 'b-out.wav')}`),
      send: (d) => sb.send(d, portOf(sa), '127.0.0.1'),
    });
    medias.push(a, b);
    sa.on('message', (d) => a.receive(d));
    sb.on('message', (d) => b.receive(d));
    a.start();
    b.start();
    await new Promise((r) => setTimeout(r, frames * 64 + 500));
    const [statsA, statsB] = [a.stats(), b.stats()];
    await a.stop();
    await b.stop();

    for (const [sender, stats, sent, received] of [
      [statsA, statsB, sentA, wavSamples(join(dir, 'b-out.wav'))],
      [statsB, statsA, sentB, wavSamples(join(dir, 'a-out.wav'))],
    ] as const) {
      const context = `sender ${JSON.stringify(sender)}, receiver ${JSON.stringify(stats)}`;
      expect(sender.sourceEnded).toBe(true);
      expect(stats.packetsLost, context).toBe(0);
      expect(stats.packetsDropped, context).toBe(0);
      // Every frame sent arrives bit for bit and in order. A sender whose timer fired a
      // whole period late (a stall of this shared machine) skips frames by design: they
      // are missing from what is played, and exactly that many.
      const played = receivedFrames(received, sent);
      expect(played.indices.length + sender.framesSkipped, context).toBe(frames);
      expect(played.indices, context).toEqual([...played.indices].sort((x, y) => x - y));
      expect(
        played.rest.every((x) => x === 0),
        context,
      ).toBe(true);
      expect(stats.outputLevelDbfs).toBe(-Infinity);
    }
  });
});
