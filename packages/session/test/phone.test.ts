// Tests of Phone over real UDP and TCP on 127.0.0.1.
import { createSocket, type Socket } from 'node:dgram';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CallFailedError, Phone, PhoneError, type EndReason, type PhoneConnectOptions } from '../src/index.js';
import { createCollectingSink } from './support/collecting-sink.js';
import { startTestDirectoryServer, type TestDirectoryServer } from './support/test-directory-server.js';
import { until } from './support/until.js';

let server: TestDirectoryServer;
const phones: Phone[] = [];
const sockets: Socket[] = [];

beforeEach(async () => {
  server = await startTestDirectoryServer();
});

afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
  for (const s of sockets.splice(0)) s.close();
  await server.close();
});

async function phone(name: string, extra: Partial<PhoneConnectOptions> = {}): Promise<Phone> {
  const p = await Phone.connect({ server: `127.0.0.1:${server.port}`, name, udpPort: 0, udpHost: '127.0.0.1', silenceTimeoutMs: 3000, ...extra });
  phones.push(p);
  return p;
}

async function callFailure(promise: Promise<void>): Promise<EndReason> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CallFailedError);
  return (error as CallFailedError).reason;
}

describe('Phone over real UDP and TCP on 127.0.0.1', () => {
  test('call, accept, audio both ways, hang up', async () => {
    const aliceSink = createCollectingSink();
    const bobSink = createCollectingSink();
    const alice = await phone('alice', { audio: { input: 'tone:440', output: aliceSink } });
    const bob = await phone('bob', { audio: { input: 'tone:880', output: bobSink } });
    expect(alice.udpPort).not.toBe(bob.udpPort);
    const incoming: string[] = [];
    bob.on('incoming', ({ caller }) => {
      incoming.push(caller);
      bob.accept();
    });
    const bobEnded = bob.once('ended');
    const stats = alice.once('stats');
    await alice.call('bob');
    expect(alice.state).toBe('in-call');
    expect(incoming).toEqual(['alice']);
    await until(() => aliceSink.audibleFrames() >= 5 && bobSink.audibleFrames() >= 5, 'audio both ways');
    const [figures] = await stats;
    expect(figures.packetsSent).toBeGreaterThan(0);
    expect(figures.durationMs).toBeGreaterThan(0);
    alice.hangup();
    const [{ reason }] = await bobEnded;
    expect(reason).toBe('remote-hangup');
    expect(alice.state).toBe('idle');
    await until(() => bob.state === 'idle', 'bob idle');
    // Back to waiting on the same port: a second call works.
    const second = bob.once('ended');
    await alice.call('bob');
    bob.hangup();
    expect((await second)[0].reason).toBe('hangup');
    // Caller-owned sinks stay open across calls and are closed by close().
    expect(aliceSink.closed).toBe(false);
  });

  test('reject, not-found, self-call and busy', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    const carol = await phone('carol');
    bob.on('incoming', () => bob.reject());
    expect(await callFailure(alice.call('bob'))).toBe('rejected');
    expect(await callFailure(alice.call('nobody'))).toBe('not-found');
    expect(await callFailure(alice.call('ALICE'))).toBe('self-call');

    const accepting = (): void => carol.accept();
    carol.on('incoming', accepting);
    await alice.call('carol');
    const busy = await callFailure(bob.call('carol'));
    expect(busy).toBe('rejected');
    expect(carol.state).toBe('in-call');
    await expect(alice.call('bob')).rejects.toMatchObject({ code: 'busy' });
  });

  test('users() and the users event list who is online', async () => {
    const alice = await phone('alice');
    expect(alice.listSupported).toBe(true);
    const next = alice.once('users');
    await phone('bob');
    const seen = await next;
    expect(seen[0].map((u) => u.name)).toContain('alice');
    const users = await alice.users();
    expect(users.map((u) => u.name)).toEqual(['alice', 'bob']);
  });

  test('udp-port-in-use names the port', async () => {
    const holder = createSocket('udp4');
    sockets.push(holder);
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', () => resolve()));
    const port = holder.address().port;
    const error = await Phone.connect({ server: `127.0.0.1:${server.port}`, name: 'alice', udpPort: port, udpHost: '127.0.0.1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoneError);
    expect(error).toMatchObject({ code: 'udp-port-in-use', port });
    expect(server.users()).toEqual([]);
  });

  test('server-unreachable, name-refused, name-invalid', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(Phone.connect({ server: `127.0.0.1:${deadPort}`, name: 'alice', udpPort: 0, udpHost: '127.0.0.1' })).rejects.toMatchObject({ code: 'server-unreachable' });
    await phone('alice');
    await expect(phone('Alice')).rejects.toMatchObject({ code: 'name-refused' });
    await expect(phone(' bad name')).rejects.toMatchObject({ code: 'name-invalid' });
  });

  test.each([
    ['ringTimeoutMs', { ringTimeoutMs: 0 }],
    ['silenceTimeoutMs', { silenceTimeoutMs: -5 }],
    ['repeatIntervalMs', { repeatIntervalMs: Number.NaN }],
    ['statsIntervalMs', { statsIntervalMs: 0 }],
    ['directoryTimeoutMs', { directoryTimeoutMs: -1 }],
  ] as const)('a bad %s is a PhoneError invalid-option before anything is bound or registered', async (_key, extra) => {
    const error = await phone('alice', extra).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PhoneError);
    expect(error).toMatchObject({ code: 'invalid-option' });
    expect(server.users()).toEqual([]);
  });

  test('a dropped directory emits disconnected; the call goes on, new calls fail with directory-lost', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    bob.on('incoming', () => bob.accept());
    await alice.call('bob');
    const disconnected = alice.once('disconnected');
    server.dropConnections();
    await disconnected;
    expect(alice.state).toBe('in-call');
    alice.hangup();
    expect(await callFailure(alice.call('bob'))).toBe('directory-lost');
  });
});

describe('a listener that throws', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test('does not keep call() from settling, nor the other listeners from hearing the event', async () => {
    // Listener errors are rethrown asynchronously (like an EventEmitter's would surface): catch them here.
    const thrown: unknown[] = [];
    const realMicrotask = globalThis.queueMicrotask;
    vi.stubGlobal('queueMicrotask', (task: () => void) =>
      realMicrotask(() => {
        try {
          task();
        } catch (error) {
          thrown.push(error);
        }
      }),
    );
    const alice = await phone('alice');
    const bob = await phone('bob');
    const carol = await phone('carol');
    bob.on('incoming', () => bob.accept());
    carol.on('incoming', () => carol.reject());
    const heard: string[] = [];
    alice.on('connected', () => {
      throw new Error('listener bug on connected');
    });
    alice.on('connected', ({ peer }) => heard.push(`connected ${peer}`));
    alice.on('ended', () => {
      throw new Error('listener bug on ended');
    });
    alice.on('ended', ({ reason }) => heard.push(`ended ${reason}`));

    await alice.call('bob');
    alice.hangup();
    expect(await callFailure(alice.call('carol'))).toBe('rejected');
    expect(heard).toEqual(['connected bob', 'ended hangup', 'ended rejected']);
    await until(() => thrown.length >= 3, 'the listener errors to surface');
    expect(thrown.map((e) => (e as Error).message)).toEqual(['listener bug on connected', 'listener bug on ended', 'listener bug on ended']);
  });
});

describe('Phone against a classic directory (no LIST/WATCH, replies without newline)', () => {
  test('connects, reports the list unsupported, looks names up', async () => {
    const { startClassicDirectoryServer } = await import('./support/classic-directory-server.js');
    const classic = await startClassicDirectoryServer();
    try {
      const alice = await Phone.connect({ server: { host: '127.0.0.1', port: classic.port }, name: 'alice', udpPort: 0, udpHost: '127.0.0.1', directoryTimeoutMs: 1000 });
      phones.push(alice);
      expect(alice.listSupported).toBe(false);
      await expect(alice.users()).rejects.toMatchObject({ code: 'list-unsupported' });
      expect(await callFailure(alice.call('nobody'))).toBe('not-found');
      await alice.close();
      expect(classic.users.size).toBe(0);
    } finally {
      await classic.close();
    }
  });
});
