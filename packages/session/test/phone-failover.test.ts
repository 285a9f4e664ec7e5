// Failover: a phone given several directory servers registers again on the next one when its server is lost, while a call in progress goes on.
import { afterEach, describe, expect, test } from 'vitest';
import { createManualClock } from '@voip/clock';
import { KEEPALIVE_IDLE_MS } from '@voip/protocol';
import { DirectoryClient } from '../src/internal.js';
import { reconnectDelayMs, reconnectSpreadMs } from '../src/phone-directory.js';
import { startScriptedDirectoryServer, type ScriptedConnection } from './directory/scripted-directory-server.js';
import { Phone, PhoneError, type PhoneConnectOptions, type PhoneEvents } from '../src/index.js';
import { startTestDirectoryServer, type TestDirectoryServer } from './support/test-directory-server.js';
import { until as untilWithin } from './support/until.js';

const servers: TestDirectoryServer[] = [];
const phones: Phone[] = [];

afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function twoServers(): Promise<[TestDirectoryServer, TestDirectoryServer]> {
  const a = await startTestDirectoryServer();
  const b = await startTestDirectoryServer();
  servers.push(a, b);
  return [a, b];
}

const at = (s: TestDirectoryServer): string => `127.0.0.1:${s.port}`;

async function phone(name: string, options: Partial<PhoneConnectOptions>): Promise<Phone> {
  const p = await Phone.connect({ name, udpPort: 0, udpHost: '127.0.0.1', silenceTimeoutMs: 3000, audio: { input: 'tone:440' }, ...options });
  phones.push(p);
  return p;
}

/** Failing over waits out backoff: longer than the other phone tests wait. */
const until = (check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => untilWithin(check, what, timeoutMs);

function record<E extends keyof PhoneEvents>(p: Phone, event: E): PhoneEvents[E][0][] {
  const seen: PhoneEvents[E][0][] = [];
  p.on(event, ((payload: PhoneEvents[E][0]) => seen.push(payload)) as never);
  return seen;
}

const names = (s: TestDirectoryServer): string[] => s.users().map((u) => u.name);

describe('failover between directory servers', () => {
  test('the first server is lost during a call: the call goes on, both phones register again on the second, and can call there', async () => {
    const [a, b] = await twoServers();
    const list = [at(a), at(b)];
    const alice = await phone('alice', { servers: list });
    const bob = await phone('bob', { servers: list });
    expect(alice.server).toBe(at(a));
    bob.on('incoming', () => bob.accept());
    const lost = record(alice, 'disconnected');
    const back = record(alice, 'reconnected');
    const ended = record(alice, 'ended');
    await alice.call('bob');
    await a.close();
    await until(() => back.length === 1 && bob.connected, 'both phones registered on the second server');
    expect(lost).toEqual([{ reason: expect.any(String), server: at(a), reconnecting: true }]);
    expect(back).toEqual([{ server: at(b) }]);
    expect(alice.server).toBe(at(b));
    expect(alice.connected).toBe(true);
    expect(names(b)).toEqual(['alice', 'bob']);
    await until(() => alice.onlineUsers?.length === 2, 'bob in the presence of the second server');
    expect(alice.onlineUsers?.map((u) => u.name)).toEqual(['alice', 'bob']);
    // The call was never disturbed: still in a call, audio still arriving.
    expect(alice.state).toBe('in-call');
    expect(ended).toEqual([]);
    const received = (await alice.once('stats'))[0].packetsReceived;
    await until(() => alice.state === 'in-call' && ended.length === 0, 'a moment more of the call', 100);
    const later = (await alice.once('stats'))[0].packetsReceived;
    expect(later).toBeGreaterThan(received);
    alice.hangup();
    await until(() => ended.length === 1 && bob.state === 'idle', 'the call ended');
    expect(ended[0]).toMatchObject({ reason: 'hangup' });
    // A new call goes through the second server's look-up.
    await alice.call('bob');
    expect(alice.state).toBe('in-call');
  }, 30_000);

  test('the name is still held on the next server for a while: the phone retries until it is released', async () => {
    const [a, b] = await twoServers();
    const holder = await DirectoryClient.connect({ host: '127.0.0.1', port: b.port });
    await holder.register('alice', 7000);
    const alice = await phone('alice', { servers: [at(a), at(b)] });
    const back = record(alice, 'reconnected');
    const logs = record(alice, 'log');
    await a.close();
    await until(() => logs.some((l) => l.level === 'warn' && l.message.includes(at(b))), 'a refused attempt on the second server');
    expect(back).toEqual([]);
    expect(alice.connected).toBe(false);
    await expect(alice.call('bob')).rejects.toMatchObject({ reason: 'directory-lost' });
    await holder.disconnect('alice');
    await until(() => back.length === 1, 'registered on the second server');
    expect(b.users()).toEqual([expect.objectContaining({ name: 'alice', port: alice.udpPort })]);
  }, 30_000);

  test('both servers gone: attempts go on, spaced out, and the first server coming back is used', async () => {
    const [a, b] = await twoServers();
    const portA = a.port;
    const alice = await phone('alice', { servers: [at(a), at(b)] });
    const logs = record(alice, 'log');
    await b.close();
    await a.close();
    await until(() => logs.filter((l) => l.message.startsWith('could not register on')).length >= 3, 'three failed attempts');
    // Spaced out: 250, 500, 1000 ms... not a tight loop.
    expect(logs.filter((l) => l.message.startsWith('could not register on')).length).toBeLessThan(10);
    const again = await startTestDirectoryServer({ port: portA });
    servers.push(again);
    await until(() => alice.connected, 'registered on the first server again', 20_000);
    expect(names(again)).toEqual(['alice']);
  }, 40_000);

  test('a server that stops answering PING is given up by the keep-alive, and the phone fails over', async () => {
    const clock = createManualClock(0);
    const line = (message: unknown) => `${JSON.stringify(message)}\n`;
    // Answers REG and WATCH as our server does, then never PING: a server that hangs.
    const hung = await startScriptedDirectoryServer((request: Record<string, unknown>, connection: ScriptedConnection) => {
      if (request['command'] === 'REG') connection.send(line({ ack: 'Registered successfully', v: 2 }));
      if (request['command'] === 'WATCH') connection.send(line({ event: 'presence', users: [] }));
    });
    const b = await startTestDirectoryServer();
    servers.push(b);
    try {
      const alice = await phone('alice', { servers: [`127.0.0.1:${hung.port}`, at(b)], clock, directoryTimeoutMs: 2000 });
      const lost = record(alice, 'disconnected');
      const back = record(alice, 'reconnected');
      clock.advance(KEEPALIVE_IDLE_MS);
      await until(() => hung.connections[0]!.requests.some((r) => r['command'] === 'PING'), 'a PING');
      expect(lost).toEqual([]);
      clock.advance(1999);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lost).toEqual([]);
      clock.advance(1);
      await until(() => lost.length === 1, 'the loss');
      expect(lost).toEqual([{ reason: expect.any(String), server: `127.0.0.1:${hung.port}`, reconnecting: true }]);
      clock.advance(reconnectDelayMs(0, reconnectSpreadMs('alice')));
      await until(() => back.length === 1, 'registered on the second server');
      expect(back).toEqual([{ server: at(b) }]);
      expect(names(b)).toEqual(['alice']);
    } finally {
      await Promise.all(phones.splice(0).map((p) => p.close()));
      await hung.close();
    }
  });

  test('one server lost: reported not reconnecting, and the phone stays without a directory', async () => {
    const a = await startTestDirectoryServer();
    servers.push(a);
    const alice = await phone('alice', { server: at(a) });
    const lost = record(alice, 'disconnected');
    a.dropConnections();
    await until(() => lost.length === 1, 'the loss');
    expect(lost[0]).toMatchObject({ server: at(a), reconnecting: false });
    expect(alice.connected).toBe(false);
  });

  test.each<[string, Partial<PhoneConnectOptions>]>([
    ['an empty list', { servers: [] }],
    ['both server and servers', { server: '127.0.0.1:1', servers: ['127.0.0.1:2'] }],
    ['a bad entry', { servers: ['127.0.0.1:1', 'host:0'] }],
    ['no server at all', {}],
  ])('%s is an invalid option', async (_, options) => {
    await expect(Phone.connect({ name: 'alice', udpPort: 0, ...options } as PhoneConnectOptions)).rejects.toSatisfy(
      (error: unknown) => error instanceof PhoneError && error.code === 'invalid-option',
    );
  });

  test('an unreachable first server is skipped at connect', async () => {
    const [a, b] = await twoServers();
    const deadPort = a.port;
    await a.close();
    const alice = await phone('alice', { servers: [`127.0.0.1:${deadPort}`, at(b)] });
    expect(alice.server).toBe(at(b));
    expect(names(b)).toEqual(['alice']);
  });
});
