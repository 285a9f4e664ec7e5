// Tests of calls as an application sees them: how they end, mute, volume, the ring tone.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { levelDbfs } from '@voip/media/internal';
import { Phone, type PhoneConnectOptions } from '../src/index.js';
import { createCollectingSink } from './support/collecting-sink.js';
import { startTestDirectoryServer, type TestDirectoryServer } from './support/test-directory-server.js';
import { until } from './support/until.js';

let server: TestDirectoryServer;
const phones: Phone[] = [];

beforeEach(async () => {
  server = await startTestDirectoryServer();
});

afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
  await server.close();
});

async function phone(name: string, extra: Partial<PhoneConnectOptions> = {}): Promise<Phone> {
  const p = await Phone.connect({ server: `127.0.0.1:${server.port}`, name, udpPort: 0, udpHost: '127.0.0.1', silenceTimeoutMs: 3000, ...extra });
  phones.push(p);
  return p;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('how a call ends, as the client sees it', () => {
  test('a connected call ends with its duration, final figures and direction on both sides', async () => {
    const alice = await phone('alice', { audio: { input: 'tone:440' } });
    const bob = await phone('bob', { audio: { input: 'tone:880' } });
    bob.on('incoming', () => bob.accept());
    const aliceEnded = alice.once('ended');
    const bobEnded = bob.once('ended');
    await alice.call('bob');
    await sleep(400);
    alice.hangup();
    const [mine] = await aliceEnded;
    const [theirs] = await bobEnded;
    expect(mine).toMatchObject({ peer: 'bob', reason: 'hangup', direction: 'outgoing' });
    expect(theirs).toMatchObject({ peer: 'alice', reason: 'remote-hangup', direction: 'incoming' });
    expect(mine.durationMs).toBeGreaterThanOrEqual(300);
    expect(mine.stats).toMatchObject({ packetsSent: expect.any(Number), durationMs: mine.durationMs });
    expect(mine.stats!.packetsSent).toBeGreaterThan(0);
    expect(theirs.stats!.packetsReceived).toBeGreaterThan(0);
    expect(mine).not.toHaveProperty('detail');
  });

  test('a call that never connected lasted 0 ms and has no figures', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    bob.on('incoming', () => bob.reject());
    const ended = alice.once('ended');
    await alice.call('bob').catch(() => undefined);
    const [end] = await ended;
    expect(end).toEqual({ peer: 'bob', reason: 'rejected', direction: 'outgoing', durationMs: 0 });
    const missing = alice.once('ended');
    await alice.call('nobody').catch(() => undefined);
    expect((await missing)[0]).toEqual({ peer: 'nobody', reason: 'not-found', direction: 'outgoing', durationMs: 0 });
  });
});

describe('mute and volume', () => {
  test('are kept for later calls and applied to the call in progress', async () => {
    const bobSink = createCollectingSink();
    const aliceSink = createCollectingSink();
    const alice = await phone('alice', { audio: { input: 'tone:440', output: aliceSink } });
    const bob = await phone('bob', { audio: { input: 'tone:880', output: bobSink } });
    bob.on('incoming', () => bob.accept());
    expect([alice.muted, alice.volume]).toEqual([false, 100]);
    alice.setMuted(true);
    alice.setVolume(0);
    expect([alice.muted, alice.volume]).toEqual([true, 0]);
    await alice.call('bob');
    await until(() => bobSink.frames.length >= 5 && aliceSink.frames.length >= 5, 'frames both ways');
    // Muted: bob hears digital silence, and the call is not ended by his silence timeout.
    expect(bobSink.audibleFrames()).toBe(0);
    // Volume 0: alice's speaker plays silence although bob sends a tone.
    expect(aliceSink.audibleFrames()).toBe(0);
    alice.setMuted(false);
    alice.setVolume(150);
    await until(() => bobSink.audibleFrames() >= 3, 'bob hearing alice once unmuted');
    await until(() => aliceSink.audibleFrames() >= 3, 'alice hearing bob with the volume up');
    const loud = aliceSink.frames.at(-1)!;
    expect(levelDbfs(loud)).toBeGreaterThan(-60);
    expect(() => alice.setVolume(201)).toThrow(expect.objectContaining({ code: 'invalid-option' }));
    expect(() => alice.setVolume(Number.NaN)).toThrow(expect.objectContaining({ code: 'invalid-option' }));
    expect(alice.volume).toBe(150);
  });
});

describe('the ring tone', () => {
  test('rings on the output while a call waits, and stops once it is answered (here: rejected)', async () => {
    const bobSink = createCollectingSink();
    const alice = await phone('alice');
    const bob = await phone('bob', { ringtone: true, audio: { output: bobSink } });
    const incoming = bob.once('incoming');
    const calling = alice.call('bob');
    await incoming;
    await until(() => bobSink.audibleFrames() >= 3, "the ring on bob's output");
    bob.reject();
    await calling.catch(() => undefined);
    await sleep(150);
    const after = bobSink.frames.length;
    await sleep(300);
    expect(bobSink.frames.length).toBe(after);
  });

  test('no ring tone unless asked for', async () => {
    const bobSink = createCollectingSink();
    const alice = await phone('alice');
    const bob = await phone('bob', { audio: { output: bobSink } });
    const incoming = bob.once('incoming');
    const calling = alice.call('bob');
    await incoming;
    await sleep(300);
    expect(bobSink.frames).toEqual([]);
    bob.reject();
    await calling.catch(() => undefined);
  });
});
