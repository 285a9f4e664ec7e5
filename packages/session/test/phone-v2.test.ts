// Phones over real UDP on 127.0.0.1: two v2 phones get a v2 call with one SAS; a v2 phone calling a classic one gets a classic call, or with 'require' none.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { DirectoryUser } from '@voip/protocol';
import { Phone, type CallMediaPort, type MediaFactory, type MediaFactoryOptions, type PhoneConnectOptions } from '../src/index.js';
import { startTestDirectoryServer, type TestDirectoryServer } from './support/test-directory-server.js';

let server: TestDirectoryServer;
const phones: Phone[] = [];

beforeEach(async () => {
  server = await startTestDirectoryServer();
});

afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
  await server.close();
});

/** Media that sends a datagram classified as RTP (v2) or a classic frame every 20 ms, and records what each call was given. */
function recordingMedia(given: MediaFactoryOptions[]): MediaFactory {
  return (options) => {
    given.push(options);
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    let received = 0;
    const frame = options.protocol === 'v2' ? new Uint8Array(348).fill(0x80) : new Uint8Array(1024);
    const media: CallMediaPort = {
      start: () => void (timer = setInterval(() => (options.send(frame), sent++), 20)),
      receive: () => {
        received++;
        return true; // a fake: every datagram counts as the peer's audio
      },
      stop: () => Promise.resolve(clearInterval(timer)),
      stats: () => ({ packetsSent: sent, packetsReceived: received, packetsLost: 0, packetsDropped: 0, inputLevelDbfs: -Infinity, outputLevelDbfs: -Infinity, durationMs: 0 }),
      setMuted: () => {},
      setGain: () => {},
    };
    return media;
  };
}

/** The directory's answer with `v` added for the v2 names (the directory's GET does not carry it yet). */
function lookupWithVersions(v2: readonly string[]): (name: string) => Promise<DirectoryUser | null> {
  return async (name) => {
    const user = server.users().find((u) => u.name === name);
    return user ? { ...user, ...(v2.includes(name) ? { v: 2 } : {}) } : null;
  };
}

async function phone(name: string, given: MediaFactoryOptions[], extra: Partial<PhoneConnectOptions>): Promise<Phone> {
  const p = await Phone.connect({ server: `127.0.0.1:${server.port}`, name, udpPort: 0, udpHost: '127.0.0.1', media: recordingMedia(given), ...extra });
  phones.push(p);
  return p;
}

test('two v2 phones: a v2 call, the same SAS on both, media given mirrored keys, figures with the secure fields', async () => {
  const lookup = lookupWithVersions(['alice', 'bob']);
  const aliceMedia: MediaFactoryOptions[] = [];
  const bobMedia: MediaFactoryOptions[] = [];
  const alice = await phone('alice', aliceMedia, { lookup });
  const bob = await phone('bob', bobMedia, { lookup });
  bob.on('incoming', () => bob.accept());
  const bobConnected = bob.once('connected');
  const aliceConnected = alice.once('connected');
  await alice.call('bob');
  const [[mine], [theirs]] = await Promise.all([aliceConnected, bobConnected]);
  expect(mine).toEqual({ peer: 'bob', protocol: 'v2', secure: true, sas: expect.stringMatching(/^.{4}$/) });
  expect(theirs).toEqual({ peer: 'alice', protocol: 'v2', secure: true, sas: mine.sas });
  const a = aliceMedia[0]!;
  const b = bobMedia[0]!;
  if (a.protocol !== 'v2' || b.protocol !== 'v2') throw new Error('expected v2 media');
  expect(a.v2.sendKey).toEqual(b.v2.receiveKey);
  expect(a.v2.ssrc).toBe(b.v2.peerSsrc);
  const [stats] = await alice.once('stats');
  expect(stats).toMatchObject({ packetsRejected: 0, packetsReplayed: 0, packetsLate: 0, packetsConcealed: 0, jitterMs: 0, playoutDelayMs: 0 });
  expect(stats.packetsReceived).toBeGreaterThan(0);
  const ended = bob.once('ended');
  alice.hangup();
  expect((await ended)[0]).toMatchObject({ reason: 'remote-hangup', direction: 'incoming' });
});

test('a v2 phone calling a classic phone gets a classic call, shown as not encrypted', async () => {
  const lookup = lookupWithVersions(['alice']);
  const given: MediaFactoryOptions[] = [];
  const alice = await phone('alice', given, { lookup });
  const carol = await phone('carol', [], { secure: 'off' });
  carol.on('incoming', () => carol.accept());
  const connected = alice.once('connected');
  await alice.call('carol');
  expect((await connected)[0]).toEqual({ peer: 'carol', protocol: 'classic', secure: false, sas: null });
  expect(given[0]!.protocol).toBe('classic');
});

test("with secure 'require', a call to a classic phone and a call from one are refused with not-secure", async () => {
  const lookup = lookupWithVersions(['alice']);
  const alice = await phone('alice', [], { lookup, secure: 'require' });
  const carol = await phone('carol', [], { secure: 'off' });
  await expect(alice.call('carol')).rejects.toMatchObject({ reason: 'not-secure' });
  const refused = alice.once('ended');
  await expect(carol.call('alice')).rejects.toMatchObject({ reason: 'rejected' });
  expect((await refused)[0]).toMatchObject({ peer: 'carol', reason: 'not-secure', direction: 'incoming' });
});

test('secure must be prefer, require or off', async () => {
  await expect(Phone.connect({ server: `127.0.0.1:${server.port}`, name: 'x', secure: 'maybe' as never })).rejects.toMatchObject({ code: 'invalid-option' });
});

test('two v2 phones with the default media (createSecureCallMedia): media flows both ways, nothing rejected', async () => {
  const lookup = lookupWithVersions(['alice', 'bob']);
  const alice = await Phone.connect({ server: `127.0.0.1:${server.port}`, name: 'alice', udpPort: 0, udpHost: '127.0.0.1', lookup, audio: { input: 'tone:440', output: 'null' } });
  const bob = await Phone.connect({ server: `127.0.0.1:${server.port}`, name: 'bob', udpPort: 0, udpHost: '127.0.0.1', lookup, audio: { input: 'tone:880', output: 'null' } });
  phones.push(alice, bob);
  bob.on('incoming', () => bob.accept());
  const connected = alice.once('connected');
  await alice.call('bob');
  expect((await connected)[0]).toMatchObject({ protocol: 'v2', secure: true });
  await alice.once('stats');
  const [stats] = await bob.once('stats');
  expect(stats.packetsReceived).toBeGreaterThan(20);
  expect(stats.packetsRejected).toBe(0);
  const ended = bob.once('ended');
  alice.hangup();
  expect((await ended)[0]).toMatchObject({ reason: 'remote-hangup' });
});
